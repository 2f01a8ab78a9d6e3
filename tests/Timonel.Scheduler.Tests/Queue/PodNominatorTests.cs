using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Queue;
using Timonel.Scheduler.Tests.Fakes;

namespace Timonel.Scheduler.Tests.Queue;

/// <summary>The queue keeps the nominator in step with the pods' status.nominatedNodeName, as upstream's nominator.</summary>
public sealed class PodNominatorTests : IDisposable
{
    private readonly PodNominator _nominator = new();
    private readonly SchedulingQueue _queue;

    public PodNominatorTests()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var framework = global::Timonel.Scheduler.Plugins.DefaultProfile.Framework(new FrameworkHandle(new FakeSchedulerApi(), new global::Timonel.Scheduler.Cache.Snapshot(), time));
        _queue = new SchedulingQueue(framework.QueueSort, framework.EventsToRegister, time, nominator: _nominator);
    }

    public void Dispose() => _queue.Dispose();

    [Fact]
    public void Add_PodWithNominatedNodeName_NominatedThere()
    {
        var pod = Make.Pod("p", "1");
        pod.Status.NominatedNodeName = "n1";

        _queue.Add(pod);

        Assert.Equal(["default/p"], _nominator.NominatedPodsForNode("n1").Select(p => p.Key));
    }

    [Fact]
    public void Update_NeitherVersionNamesANode_KeepsTheNominationThisSchedulerMade()
    {
        var pod = Make.Pod("p", "1");
        _queue.Add(pod);
        _nominator.Add(new PodInfo(pod), "n1");
        var updated = Make.Pod("p", "1");
        updated.Metadata.Labels = new Dictionary<string, string> { ["changed"] = "yes" };

        _queue.Update(pod, updated);

        Assert.Equal("n1", _nominator.NominatedNodeOf("default/p"));
    }

    [Fact]
    public void Update_NominationCleared_NoLongerNominated()
    {
        var pod = Make.Pod("p", "1");
        pod.Status.NominatedNodeName = "n1";
        _queue.Add(pod);
        var cleared = Make.Pod("p", "1");

        _queue.Update(pod, cleared);

        Assert.Null(_nominator.NominatedNodeOf("default/p"));
        Assert.Empty(_nominator.NominatedPodsForNode("n1"));
    }

    [Fact]
    public void Delete_NominatedPod_ForgetsIt()
    {
        var pod = Make.Pod("p", "1");
        pod.Status.NominatedNodeName = "n1";
        _queue.Add(pod);

        _queue.Delete(pod);

        Assert.True(_nominator.IsEmpty);
    }
}
