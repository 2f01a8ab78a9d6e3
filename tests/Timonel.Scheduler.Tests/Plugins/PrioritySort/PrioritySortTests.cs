using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Tests.Fakes;

namespace Timonel.Scheduler.Tests.Plugins.PrioritySort;

public sealed class PrioritySortTests
{
    [Theory]
    [InlineData(10, 0, 0, 5, true)] // higher priority first, whatever the time
    [InlineData(0, 10, 0, 5, false)]
    [InlineData(5, 0, 5, 1, true)] // equal priority: earlier first
    [InlineData(5, 1, 5, 0, false)]
    [InlineData(5, 1, 5, 1, false)]
    public void Less_PriorityThenTimestamp_OrdersPods(int priorityA, int secondsA, int priorityB, int secondsB, bool expected)
    {
        var epoch = DateTimeOffset.UnixEpoch;
        var a = Queued("a", priorityA, epoch.AddSeconds(secondsA));
        var b = Queued("b", priorityB, epoch.AddSeconds(secondsB));

        Assert.Equal(expected, new global::Timonel.Scheduler.Plugins.PrioritySort.PrioritySort().Less(a, b));
    }

    private static QueuedPodInfo Queued(string name, int priority, DateTimeOffset timestamp)
    {
        var pod = Make.Pod(name);
        pod.Spec.Priority = priority;
        return new QueuedPodInfo(new PodInfo(pod), timestamp);
    }
}
