using System.Collections.Concurrent;
using k8s.Models;

namespace Timonel.Scheduler.Tests.Fakes;

/// <summary>Records the scheduler's writes (bindings, status patches, deletions); <see cref="BindError"/> makes bindings fail.</summary>
internal sealed class FakeSchedulerApi : ISchedulerApi
{
    public ConcurrentQueue<V1Binding> Bindings { get; } = new();

    public ConcurrentQueue<(string Namespace, string Name, string Patch)> StatusPatches { get; } = new();

    public ConcurrentQueue<(string Namespace, string Name)> Deletions { get; } = new();

    public Exception? BindError { get; set; }

    public Task BindAsync(V1Binding binding, CancellationToken cancellationToken)
    {
        if (BindError is { } error)
        {
            return Task.FromException(error);
        }

        Bindings.Enqueue(binding);
        return Task.CompletedTask;
    }

    public Task PatchPodStatusAsync(string ns, string name, string patchJson, CancellationToken cancellationToken)
    {
        StatusPatches.Enqueue((ns, name, patchJson));
        return Task.CompletedTask;
    }

    public Task<bool> DeletePodAsync(string ns, string name, CancellationToken cancellationToken)
    {
        Deletions.Enqueue((ns, name));
        return Task.FromResult(true);
    }

    public ConcurrentQueue<V1PersistentVolume> VolumeUpdates { get; } = new();

    public ConcurrentQueue<V1PersistentVolumeClaim> ClaimUpdates { get; } = new();

    /// <summary>Called with each volume or claim written (a test applies it to the informer caches, as the watch would).</summary>
    public Action<object>? OnVolumeWrite { get; set; }

    public Task<V1PersistentVolume> UpdatePersistentVolumeAsync(V1PersistentVolume volume, CancellationToken cancellationToken)
    {
        VolumeUpdates.Enqueue(volume);
        OnVolumeWrite?.Invoke(volume);
        return Task.FromResult(volume);
    }

    public Task<V1PersistentVolumeClaim> UpdatePersistentVolumeClaimAsync(V1PersistentVolumeClaim claim, CancellationToken cancellationToken)
    {
        ClaimUpdates.Enqueue(claim);
        OnVolumeWrite?.Invoke(claim);
        return Task.FromResult(claim);
    }
}
