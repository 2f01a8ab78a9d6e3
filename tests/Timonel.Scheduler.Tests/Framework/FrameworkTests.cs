using Microsoft.Extensions.Time.Testing;
using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Tests.Fakes;

namespace Timonel.Scheduler.Tests.Framework;

public sealed class FrameworkTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task RunPermitPlugins_Wait_HoldsThePodUntilAllowed()
    {
        var framework = Build(new Gate("gate", Status.New(Code.Wait)));
        var pod = new PodInfo(Make.Pod("p"));

        Assert.Equal(Code.Wait, framework.RunPermitPlugins(new CycleState(), pod, "n").Code);
        var wait = framework.WaitOnPermitAsync(pod);
        Assert.False(wait.IsCompleted);

        framework.GetWaitingPod(pod.Key)!.Allow("gate");

        Assert.True((await wait).IsSuccess);
        Assert.Null(framework.GetWaitingPod(pod.Key));
    }

    [Fact]
    public async Task RunPermitPlugins_WaitTimesOut_RejectsThePod()
    {
        var framework = Build(new Gate("gate", Status.New(Code.Wait)));
        var pod = new PodInfo(Make.Pod("p"));
        framework.RunPermitPlugins(new CycleState(), pod, "n");
        var wait = framework.WaitOnPermitAsync(pod);

        _time.Advance(TimeSpan.FromSeconds(10));
        var status = await wait;

        Assert.Equal(Code.Unschedulable, status.Code);
        Assert.Equal("rejected due to timeout after waiting 10s at plugin gate", status.Message);
        Assert.Equal("gate", status.Plugin);
    }

    [Fact]
    public void RunPermitPlugins_Rejection_EndsWithThePlugin()
    {
        var framework = Build(new Gate("first", Status.Unschedulable("not now")), new Gate("second", Status.Success));

        var status = framework.RunPermitPlugins(new CycleState(), new PodInfo(Make.Pod("p")), "n");

        Assert.Equal(("not now", "first"), (status.Message, status.Plugin));
    }

    [Fact]
    public void RunScorePlugins_Weights_MultiplyNormalizedScores()
    {
        var framework = Build(new FixedScore("a", 10), new FixedScore("b", 50));
        var state = new CycleState();
        var nodes = new[] { new NodeInfo(Make.Node("x")), new NodeInfo(Make.Node("y")) };

        var (totals, status) = framework.RunScorePlugins(state, new PodInfo(Make.Pod("p")), nodes, parallel: false);

        Assert.True(status.IsSuccess);
        Assert.Equal([(10 * 2) + 50, (10 * 2) + 50], totals);
    }

    [Fact]
    public void RunScorePlugins_ScoreOutOfRange_IsAnError()
    {
        var framework = Build(new FixedScore("a", 101));

        var (_, status) = framework.RunScorePlugins(new CycleState(), new PodInfo(Make.Pod("p")), [new NodeInfo(Make.Node("x"))], parallel: false);

        Assert.Equal(Code.Error, status.Code);
        Assert.Equal("plugin \"a\" returns an invalid score 101, it should in the range of [0, 100] after normalizing", status.Message);
    }

    [Fact]
    public void RunPreFilterPlugins_DisjointNodeNames_UnschedulableNamingThePlugins()
    {
        var framework = Build(new Narrow("one", "a"), new Narrow("two", "b"));

        var (_, status, _) = framework.RunPreFilterPlugins(new CycleState(), new PodInfo(Make.Pod("p")));

        Assert.Equal(Code.UnschedulableAndUnresolvable, status.Code);
        Assert.Equal("node(s) didn't satisfy plugin(s) [one two] simultaneously", status.Message);
    }

    [Fact]
    public async Task RunPreBindPlugins_Error_IsWrappedWithThePluginAndStopsTheRest()
    {
        var second = new PreBind("second", Status.Success);
        var framework = Build(new PreBind("first", Status.AsStatus(new InvalidOperationException("binding volumes: timed out"))), second);

        var status = await framework.RunPreBindPluginsAsync(new CycleState(), new PodInfo(Make.Pod("p")), "n", CancellationToken.None);

        Assert.Equal((Code.Error, "running PreBind plugin \"first\": binding volumes: timed out", "first"), (status.Code, status.Message, status.Plugin));
        Assert.False(second.Called);
    }

    private global::Timonel.Scheduler.Framework.Framework Build(params IPlugin[] plugins) =>
        new([new global::Timonel.Scheduler.Plugins.PrioritySort.PrioritySort(), .. plugins], new Dictionary<string, int> { ["a"] = 2 }, _time);

    private sealed class Gate(string name, Status status) : IPermitPlugin
    {
        public string Name => name;

        public (Status Status, TimeSpan Timeout) Permit(CycleState state, PodInfo pod, string nodeName) => (status, TimeSpan.FromSeconds(10));
    }

    private sealed class FixedScore(string name, long score) : IScorePlugin
    {
        public string Name => name;

        public IScoreExtensions? ScoreExtensions => null;

        public (long Score, Status Status) Score(CycleState state, PodInfo pod, NodeInfo node) => (score, Status.Success);
    }

    private sealed class Narrow(string name, string node) : IPreFilterPlugin
    {
        public string Name => name;

        public (PreFilterResult? Result, Status Status) PreFilter(CycleState state, PodInfo pod) =>
            (new PreFilterResult(new HashSet<string> { node }), Status.Success);
    }

    private sealed class PreBind(string name, Status status) : IPreBindPlugin
    {
        public string Name => name;

        public bool Called { get; private set; }

        public Task<Status> PreBindAsync(CycleState state, PodInfo pod, string nodeName, CancellationToken cancellationToken)
        {
            Called = true;
            return Task.FromResult(status);
        }
    }
}
