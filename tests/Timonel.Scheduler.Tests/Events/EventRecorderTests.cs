using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.Scheduler.Events;
using Timonel.Scheduler.Tests.Fakes;

namespace Timonel.Scheduler.Tests.Events;

public sealed class EventRecorderTests
{
    [Fact]
    public async Task Eventf_Pod_WritesAnEventsV1EventAsUpstream()
    {
        var api = new FakeSchedulerApi();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var recorder = new EventRecorder(api, time, NullLogger.Instance, "default-scheduler", "host1");

        recorder.Eventf(Make.Pod("x", ns: "shop"), "Normal", "Scheduled", "Binding", "Successfully assigned shop/x to sim-0");
        await recorder.DisposeAsync();

        var ev = Assert.Single(api.Events);
        Assert.Equal($"x.{(time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100:x}", ev.Metadata.Name);
        Assert.Equal("shop", ev.Metadata.NamespaceProperty);
        Assert.Equal(("default-scheduler", "default-scheduler-host1"), (ev.ReportingController, ev.ReportingInstance));
        Assert.Equal(("Normal", "Scheduled", "Binding"), (ev.Type, ev.Reason, ev.Action));
        Assert.Equal("Successfully assigned shop/x to sim-0", ev.Note);
        Assert.Equal(("v1", "Pod", "shop", "x", "uid-x"), (ev.Regarding.ApiVersion, ev.Regarding.Kind, ev.Regarding.NamespaceProperty, ev.Regarding.Name, ev.Regarding.Uid));
        Assert.Equal(time.GetUtcNow().UtcDateTime, ev.EventTime);
    }

    [Fact]
    public void Truncate_LongNote_CutToTheLimitWithAnEllipsis()
    {
        var note = EventRecorder.Truncate(new string('a', 2000));

        Assert.Equal(1024, note.Length);
        Assert.EndsWith("a ...", note, StringComparison.Ordinal);
    }
}
