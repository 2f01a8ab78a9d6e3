using Microsoft.Extensions.Logging.Abstractions;
using Timonel.Agent.Joining;
using Timonel.Agent.Simulated;
using Timonel.Storage;

namespace Timonel.IntegrationTests;

/// <summary>
/// A cluster on SQLite with three simulated nodes (sim-0..sim-2) joined the way <c>timonel agent</c> joins: with the
/// server's K10 token, trusting the CA fetched from /cacerts because its hash matches the token's.
/// </summary>
public sealed class SimulatedNodesFixture : ClusterFixture, IAsyncDisposable
{
    private SimulatedNodes? _nodes;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        if (SkipReason is null)
        {
            var connection = await ServerTrust.ConnectAsync(Cluster.Host.Url, Cluster.Host.Token.Full, null, CancellationToken.None);
            _nodes = new SimulatedNodes(connection, new SimulatedNodesOptions { Count = 3 }, NullLoggerFactory.Instance);
            await _nodes.StartAsync(CancellationToken.None);
            await _nodes.Ready.WaitAsync(TimeSpan.FromSeconds(60));
        }
    }

    public override async Task DisposeAsync()
    {
        if (_nodes is not null)
        {
            await _nodes.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());

    protected override Task<IStorageBackend> CreateStorageAsync(string dataDir) => StorageBackendFactory.CreateAsync(null, dataDir);
}
