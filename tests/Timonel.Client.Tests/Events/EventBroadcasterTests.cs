using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.Client.Events;

namespace Timonel.Client.Tests.Events;

public sealed class EventBroadcasterTests
{
    private static readonly DateTimeOffset _start = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(_start);
    private readonly FakeEventSink _sink = new();

    [Fact]
    public async Task Event_Pod_WritesACoreEventAsClientGoDoes()
    {
        var broadcaster = new EventBroadcaster(_sink, _time, NullLogger.Instance);
        var recorder = broadcaster.NewRecorder("replicaset-controller");

        recorder.Event(Pod("web-1", "shop"), "Normal", "Killing", "Stopping container web");
        await broadcaster.DisposeAsync();

        var ev = Assert.Single(_sink.CoreEvents);
        Assert.Equal($"web-1.{(_start - DateTimeOffset.UnixEpoch).Ticks * 100:x}", ev.Metadata.Name);
        Assert.Equal("shop", ev.Metadata.NamespaceProperty);
        Assert.Equal(("v1", "Pod", "shop", "web-1", "uid-web-1", "7"), (ev.InvolvedObject.ApiVersion, ev.InvolvedObject.Kind, ev.InvolvedObject.NamespaceProperty, ev.InvolvedObject.Name, ev.InvolvedObject.Uid, ev.InvolvedObject.ResourceVersion));
        Assert.Equal(("Normal", "Killing", "Stopping container web"), (ev.Type, ev.Reason, ev.Message));
        Assert.Equal(("replicaset-controller", "replicaset-controller"), (ev.Source.Component, ev.ReportingComponent));
        Assert.Equal((1, _start.UtcDateTime, _start.UtcDateTime), (ev.Count, ev.FirstTimestamp, ev.LastTimestamp));
    }

    [Fact]
    public async Task Event_SameEventThreeTimes_OneEventPatchedToCountThree()
    {
        var broadcaster = new EventBroadcaster(_sink, _time, NullLogger.Instance);
        var recorder = broadcaster.NewRecorder("kubelet", "node-1");
        var pod = Pod("web-1", "shop");

        recorder.Event(pod, "Warning", "BackOff", "Back-off restarting failed container");
        _time.Advance(TimeSpan.FromSeconds(10));
        recorder.Event(pod, "Warning", "BackOff", "Back-off restarting failed container");
        _time.Advance(TimeSpan.FromSeconds(10));
        recorder.Event(pod, "Warning", "BackOff", "Back-off restarting failed container");
        await broadcaster.DisposeAsync();

        var name = $"web-1.{(_start - DateTimeOffset.UnixEpoch).Ticks * 100:x}";
        Assert.Equal(
            [
                $"CREATE {name}",
                $$"""PATCH {{name}} {"count":2,"lastTimestamp":"2026-01-02T03:04:15Z","message":"Back-off restarting failed container"}""",
                $$"""PATCH {{name}} {"count":3,"lastTimestamp":"2026-01-02T03:04:25Z","message":"Back-off restarting failed container"}""",
            ],
            _sink.Calls);
        var ev = Assert.Single(_sink.CoreEvents);
        Assert.Equal((3, _start.UtcDateTime), (ev.Count, ev.FirstTimestamp));
        Assert.Equal(("kubelet", "node-1", "node-1"), (ev.Source.Component, ev.Source.Host, ev.ReportingInstance));
    }

    [Fact]
    public async Task Event_RepeatOfAnEventDeletedMeanwhile_CreatedAgain()
    {
        var broadcaster = new EventBroadcaster(_sink, _time, NullLogger.Instance);
        var recorder = broadcaster.NewRecorder("kubelet");
        var gone = new FakeEventSink();
        await using (var first = new EventBroadcaster(gone, _time, NullLogger.Instance))
        {
            first.NewRecorder("kubelet").Event(Pod("a", "shop"), "Normal", "Pulled", "pulled");
        }

        // The first broadcaster wrote into another store: this one patches a name its sink never saw, gets 404 and creates.
        recorder.Event(Pod("a", "shop"), "Normal", "Pulled", "pulled");
        recorder.Event(Pod("a", "shop"), "Normal", "Pulled", "pulled");
        await broadcaster.DisposeAsync();

        Assert.Equal(2, Assert.Single(_sink.CoreEvents).Count);
    }

    [Fact]
    public async Task Event_TenMessagesOfOneReasonWithinTenMinutes_TheTenthOnwardCombined()
    {
        var broadcaster = new EventBroadcaster(_sink, _time, NullLogger.Instance);
        var recorder = broadcaster.NewRecorder("kubelet");
        var pod = Pod("web-1", "shop");

        for (var i = 1; i <= 11; i++)
        {
            recorder.Event(pod, "Warning", "Failed", $"failure {i}");
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        await broadcaster.DisposeAsync();

        var events = _sink.CoreEvents;
        Assert.Equal(10, events.Count);
        Assert.Equal([.. Enumerable.Range(1, 9).Select(i => $"failure {i}")], events.Take(9).Select(e => e.Message));
        var combined = events[9];
        Assert.Equal(("(combined from similar events): failure 11", 2), (combined.Message, combined.Count));
    }

    [Fact]
    public async Task Event_SimilarMessagesMoreThanTenMinutesApart_NotCombined()
    {
        var broadcaster = new EventBroadcaster(_sink, _time, NullLogger.Instance);
        var recorder = broadcaster.NewRecorder("kubelet");

        // The correlator reads the clock when it takes the event, so each is written before the clock moves on.
        for (var i = 1; i <= 12; i++)
        {
            recorder.Event(Pod("web-1", "shop"), "Warning", "Failed", $"failure {i}");
            await _sink.WaitForCallsAsync(i);
            _time.Advance(TimeSpan.FromSeconds(601));
        }

        await broadcaster.DisposeAsync();

        Assert.DoesNotContain(_sink.CoreEvents, e => e.Message!.StartsWith("(combined", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Event_MoreThanTwentyFiveAboutOneObject_ExcessDroppedUntilTheBucketRefills()
    {
        var broadcaster = new EventBroadcaster(_sink, _time, NullLogger.Instance);
        var recorder = broadcaster.NewRecorder("kubelet");
        var pod = Pod("web-1", "shop");

        // Distinct reasons, so neither aggregation nor the count patches hide what the filter does.
        for (var i = 0; i < 30; i++)
        {
            recorder.Event(pod, "Normal", $"Reason{i}", "m");
        }

        recorder.Event(Pod("other", "shop"), "Normal", "Other", "another object has its own bucket");
        await broadcaster.DisposeAsync();

        Assert.Equal(26, _sink.CoreEvents.Count);
        Assert.Equal(25, _sink.CoreEvents.Count(e => e.InvolvedObject.Name == "web-1"));
        Assert.Contains(_sink.CoreEvents, e => e.InvolvedObject.Name == "other");
    }

    [Fact]
    public async Task Event_AfterTheBurst_OneMoreEveryFiveMinutes()
    {
        var broadcaster = new EventBroadcaster(_sink, _time, NullLogger.Instance);
        var recorder = broadcaster.NewRecorder("kubelet");
        var pod = Pod("web-1", "shop");
        for (var i = 0; i < 25; i++)
        {
            recorder.Event(pod, "Normal", $"Reason{i}", "m");
        }

        await _sink.WaitForCallsAsync(25);
        _time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        recorder.Event(pod, "Normal", "TooEarly", "m");

        // One writer takes events in order: once another object's event is written, TooEarly was judged.
        recorder.Event(Pod("other", "shop"), "Normal", "Other", "m");
        await _sink.WaitForCallsAsync(26);
        _time.Advance(TimeSpan.FromSeconds(1));
        recorder.Event(pod, "Normal", "Refilled", "m");
        await broadcaster.DisposeAsync();

        Assert.Equal(27, _sink.CoreEvents.Count);
        Assert.DoesNotContain(_sink.CoreEvents, e => e.Reason == "TooEarly");
        Assert.Contains(_sink.CoreEvents, e => e.Reason == "Refilled");
    }

    [Fact]
    public async Task Event_LongMessage_CutTo1024Characters()
    {
        var broadcaster = new EventBroadcaster(_sink, _time, NullLogger.Instance);
        broadcaster.NewRecorder("kubelet").Event(Pod("a", "shop"), "Normal", "Long", new string('x', 3000));
        await broadcaster.DisposeAsync();

        var message = Assert.Single(_sink.CoreEvents).Message!;
        Assert.Equal(1024, message.Length);
        Assert.EndsWith("x ...", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Event_UnknownType_NotRecorded()
    {
        var broadcaster = new EventBroadcaster(_sink, _time, NullLogger.Instance);
        broadcaster.NewRecorder("kubelet").Event(Pod("a", "shop"), "Error", "Bad", "m");
        await broadcaster.DisposeAsync();

        Assert.Empty(_sink.Calls);
    }

    [Fact]
    public async Task Event_ServerStuckAndQueueFull_CallerNotBlockedAndExcessDropped()
    {
        var gate = new TaskCompletionSource();
        _sink.Gate = gate.Task;
        var broadcaster = new EventBroadcaster(_sink, _time, NullLogger.Instance);
        var recorder = broadcaster.NewRecorder("kubelet");

        recorder.Event(Pod("first", "shop"), "Normal", "R", "m");
        while (broadcaster.Dropped == 0)
        {
            // The writer holds one event in the stuck call; the queue then takes 1,000 and drops the rest.
            for (var i = 0; i < 100; i++)
            {
                recorder.Event(Pod($"p{i}", "shop"), "Normal", "R", "m");
            }
        }

        gate.SetResult();
        await broadcaster.DisposeAsync();

        Assert.True(broadcaster.Dropped > 0);
        Assert.True(_sink.CoreEvents.Count <= EventBroadcaster.MaxQueuedEvents + 1);
    }

    [Fact]
    public async Task Event_ClusterScopedObject_ReportedInDefault()
    {
        var broadcaster = new EventBroadcaster(_sink, _time, NullLogger.Instance);
        broadcaster.NewRecorder("node-controller").Event(new V1Node { Metadata = new V1ObjectMeta { Name = "node-1", Uid = "u" } }, "Normal", "RegisteredNode", "Node node-1 event: Registered Node node-1 in Controller");
        await broadcaster.DisposeAsync();

        var ev = Assert.Single(_sink.CoreEvents);
        Assert.Equal(("default", "v1", "Node", null), (ev.Metadata.NamespaceProperty, ev.InvolvedObject.ApiVersion, ev.InvolvedObject.Kind, ev.InvolvedObject.NamespaceProperty));
    }

    private static V1Pod Pod(string name, string ns) =>
        new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Uid = $"uid-{name}", ResourceVersion = "7" } };
}
