using k8s;
using Timonel.Client.Events;

namespace Timonel.Client.LeaderElection;

/// <summary>What an election owns: its event broadcaster, flushed first (the "stopped leading" event), then its client.</summary>
internal sealed class ElectionResources(EventBroadcaster events, IKubernetes client) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        await events.DisposeAsync().ConfigureAwait(false);
        client.Dispose();
    }
}
