namespace Timonel.IntegrationTests;

/// <summary><c>timonel server --simulated-nodes 6</c>: sim-0 … sim-5, for spreading two pods per zone over three zones.</summary>
public sealed class SixSimulatedNodesFixture : SimulatedClusterFixture
{
    public SixSimulatedNodesFixture()
        : base(6)
    {
    }
}
