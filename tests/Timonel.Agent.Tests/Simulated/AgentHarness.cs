using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.Agent.Simulated;
using Timonel.Agent.Tests.NodeAgent;

namespace Timonel.Agent.Tests.Simulated;

/// <summary>A simulated-node agent on a fake clock and a fake API server, its due work run by the test.</summary>
internal sealed class AgentHarness : IDisposable
{
    private AgentHarness(int nodes)
    {
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Api = new FakeNodeAgentApi(Time);
        Agent = new SimulatedNodeAgent(Api, new SimulatedNodesOptions { Count = nodes }, Time, NullLogger.Instance, new ContainerEvents(Events.For));
    }

    public FakeTimeProvider Time { get; }

    public FakeNodeAgentApi Api { get; }

    public RecordedKubeletEvents Events { get; } = new();

    public SimulatedNodeAgent Agent { get; }

    public DateTimeOffset Start { get; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task<AgentHarness> StartAsync(int nodes)
    {
        var harness = new AgentHarness(nodes);
        await harness.Agent.StartAsync(CancellationToken.None);
        await harness.Agent.Runner.RunDueAsync();
        return harness;
    }

    /// <summary>Moves the clock on in small steps, running what falls due at each.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        var step = TimeSpan.FromMilliseconds(250);
        for (var passed = TimeSpan.Zero; passed < by; passed += step)
        {
            Time.Advance(step);
            await Agent.Runner.RunDueAsync();
        }
    }

    public Task RunDueAsync() => Agent.Runner.RunDueAsync();

    public void Dispose() => Agent.Dispose();
}
