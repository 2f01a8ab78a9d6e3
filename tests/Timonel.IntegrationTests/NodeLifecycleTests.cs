namespace Timonel.IntegrationTests;

/// <summary>
/// The node lifecycle controller as a user sees it through the real kubectl, against
/// <c>timonel server --simulated-nodes 3</c>: cordoning taints the node, uncordoning takes the taint away again.
/// </summary>
public sealed class NodeLifecycleTests : IClassFixture<SimulatedClusterFixture>
{
    private readonly SimulatedClusterFixture _fixture;

    public NodeLifecycleTests(SimulatedClusterFixture fixture) => _fixture = fixture;

    private Kubectl Kubectl => _fixture.Kubectl;

    [SkippableFact]
    public async Task Cordon_Node_GetsUnschedulableTaintUntilUncordoned()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        string cordoned;
        try
        {
            (await Kubectl.RunAsync("cordon", "sim-1")).EnsureSuccess();
            cordoned = await SimulatedClusterFixture.EventuallyAsync(TaintsAsync, t => t.Contains("node.kubernetes.io/unschedulable", StringComparison.Ordinal));
        }
        finally
        {
            await Kubectl.RunAsync("uncordon", "sim-1");
        }

        var uncordoned = await SimulatedClusterFixture.EventuallyAsync(TaintsAsync, t => !t.Contains("node.kubernetes.io/unschedulable", StringComparison.Ordinal));

        Assert.Equal("node.kubernetes.io/unschedulable:NoSchedule", cordoned);
        Assert.Equal("", uncordoned);
    }

    private async Task<string> TaintsAsync() =>
        (await Kubectl.RunAsync("get", "node", "sim-1", "-o", "jsonpath={range .spec.taints[*]}{.key}:{.effect} {end}")).EnsureSuccess().Stdout.Trim();
}
