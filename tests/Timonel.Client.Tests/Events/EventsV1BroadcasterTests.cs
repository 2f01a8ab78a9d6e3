using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.Client.Events;

namespace Timonel.Client.Tests.Events;

public sealed class EventsV1BroadcasterTests
{
    private static readonly DateTimeOffset _start = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(_start);
    private readonly FakeEventSink _sink = new();

    [Fact]
    public async Task Eventf_Pod_WritesAnEventsV1EventAsUpstream()
    {
        var broadcaster = new EventsV1Broadcaster(_sink, _time, NullLogger.Instance);
        var recorder = broadcaster.NewRecorder("default-scheduler", "host1");

        recorder.Eventf(Pod("x"), null, "Normal", "Scheduled", "Binding", "Successfully assigned shop/x to sim-0");
        await broadcaster.DisposeAsync();

        var ev = Assert.Single(_sink.V1Events);
        Assert.Equal($"x.{(_start - DateTimeOffset.UnixEpoch).Ticks * 100:x}", ev.Metadata.Name);
        Assert.Equal("shop", ev.Metadata.NamespaceProperty);
        Assert.Equal(("default-scheduler", "default-scheduler-host1"), (ev.ReportingController, ev.ReportingInstance));
        Assert.Equal(("Normal", "Scheduled", "Binding"), (ev.Type, ev.Reason, ev.Action));
        Assert.Equal("Successfully assigned shop/x to sim-0", ev.Note);
        Assert.Equal(("v1", "Pod", "shop", "x", "uid-x"), (ev.Regarding.ApiVersion, ev.Regarding.Kind, ev.Regarding.NamespaceProperty, ev.Regarding.Name, ev.Regarding.Uid));
        Assert.Equal(_start.UtcDateTime, ev.EventTime);
        Assert.Null(ev.Series);
    }

    [Fact]
    public async Task Eventf_SameEventThreeTimes_SeriesOfTwoThenFinalCountWhenTheSeriesEnds()
    {
        var broadcaster = new EventsV1Broadcaster(_sink, _time, NullLogger.Instance, writers: 1);
        var recorder = broadcaster.NewRecorder("default-scheduler", "host1");
        var pod = Pod("x");
        var name = $"x.{(_start - DateTimeOffset.UnixEpoch).Ticks * 100:x}";

        recorder.Eventf(pod, null, "Warning", "FailedScheduling", "Scheduling", "0/3 nodes are available");
        await _sink.WaitForCallsAsync(1);
        _time.Advance(TimeSpan.FromSeconds(1));
        recorder.Eventf(pod, null, "Warning", "FailedScheduling", "Scheduling", "0/3 nodes are available");
        await _sink.WaitForCallsAsync(2);
        _time.Advance(TimeSpan.FromSeconds(1));
        recorder.Eventf(pod, null, "Warning", "FailedScheduling", "Scheduling", "0/3 nodes are available: changed wording");

        // The third only counts in memory. One writer takes events in order: once another event is written, the
        // third was counted. The series ends at the first check (every 6 minutes) finding it quiet for over 6 minutes.
        recorder.Eventf(pod, null, "Normal", "Other", "Other", "another event");
        await _sink.WaitForCallsAsync(3);
        _time.Advance(EventsV1Broadcaster.FinishTime);
        var atFirstCheck = _sink.Calls.Count;
        _time.Advance(EventsV1Broadcaster.FinishTime);
        await _sink.WaitForCallsAsync(4);
        await broadcaster.DisposeAsync();

        Assert.Equal(
            [
                $"CREATE {name}",
                $$$"""PATCH {{{name}}} {"series":{"count":2,"lastObservedTime":"2026-01-02T03:04:06.000000Z"}}""",
                $$$"""PATCH {{{name}}} {"series":{"count":3,"lastObservedTime":"2026-01-02T03:04:07.000000Z"}}""",
            ],
            _sink.Calls.Where(c => c.Contains(name, StringComparison.Ordinal)));
        Assert.Equal(3, _sink.V1Events.Single(e => e.Metadata.Name == name).Series.Count);
        Assert.Equal(3, atFirstCheck);
    }

    [Fact]
    public async Task Eventf_DifferentReason_NotOneSeries()
    {
        var broadcaster = new EventsV1Broadcaster(_sink, _time, NullLogger.Instance, writers: 1);
        var recorder = broadcaster.NewRecorder("default-scheduler", "host1");

        recorder.Eventf(Pod("x"), null, "Normal", "Scheduled", "Binding", "a");
        _time.Advance(TimeSpan.FromMilliseconds(1));
        recorder.Eventf(Pod("x"), null, "Normal", "Preempted", "Binding", "a");
        await broadcaster.DisposeAsync();

        Assert.Equal(2, _sink.V1Events.Count);
        Assert.All(_sink.V1Events, e => Assert.Null(e.Series));
    }

    [Fact]
    public async Task Eventf_LongNote_CutTo1024Characters()
    {
        var broadcaster = new EventsV1Broadcaster(_sink, _time, NullLogger.Instance);
        broadcaster.NewRecorder("default-scheduler", "host1").Eventf(Pod("x"), null, "Warning", "FailedScheduling", "Scheduling", new string('a', 2000));
        await broadcaster.DisposeAsync();

        var note = Assert.Single(_sink.V1Events).Note;
        Assert.Equal(1024, note.Length);
        Assert.EndsWith("a ...", note, StringComparison.Ordinal);
    }

    private static V1Pod Pod(string name) =>
        new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "shop", Uid = $"uid-{name}", ResourceVersion = "7" } };
}
