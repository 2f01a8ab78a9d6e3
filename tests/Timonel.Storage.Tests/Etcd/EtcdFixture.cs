using Timonel.Testing;

namespace Timonel.Storage.Tests.Etcd;

/// <summary>One real etcd for all etcd tests of a class; absent binary means the tests skip.</summary>
public sealed class EtcdFixture : IAsyncLifetime
{
    public EtcdProcess? Etcd { get; private set; }

    public string? SkipReason { get; } = EtcdProcess.UnavailableReason;

    public async Task InitializeAsync()
    {
        if (SkipReason is null)
        {
            Etcd = await EtcdProcess.StartAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (Etcd is not null)
        {
            await Etcd.DisposeAsync();
        }
    }
}
