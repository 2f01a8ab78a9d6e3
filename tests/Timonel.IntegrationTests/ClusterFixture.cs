using Timonel.Storage;

namespace Timonel.IntegrationTests;

/// <summary>One cluster per test class, on the datastore a derived fixture chooses.</summary>
public abstract class ClusterFixture : IAsyncLifetime
{
    private TestCluster? _cluster;

    public TestCluster Cluster => _cluster ?? throw new InvalidOperationException(SkipReason ?? "cluster not started");

    /// <summary>Why this fixture's datastore cannot run on this machine, or null when it can.</summary>
    public virtual string? SkipReason => Kubectl.IsInstalled ? null : Kubectl.SkipReason;

    protected abstract Task<IStorageBackend> CreateStorageAsync(string dataDir);

    public virtual async Task InitializeAsync()
    {
        if (SkipReason is null)
        {
            _cluster = await TestCluster.StartAsync(CreateStorageAsync);
        }
    }

    public virtual async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
