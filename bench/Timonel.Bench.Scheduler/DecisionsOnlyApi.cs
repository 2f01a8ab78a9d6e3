using k8s.Models;
using Timonel.Scheduler;

namespace Timonel.Bench.Scheduler;

/// <summary>
/// Records each binding instead of posting it, for servers without pods/binding: the figure is then the scheduling
/// cycles alone, against the informer cache; status patches and events still reach the server.
/// </summary>
internal sealed class DecisionsOnlyApi(ISchedulerApi inner) : ISchedulerApi
{
    public Task BindAsync(V1Binding binding, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task PatchPodStatusAsync(string ns, string name, string patchJson, CancellationToken cancellationToken) =>
        inner.PatchPodStatusAsync(ns, name, patchJson, cancellationToken);

    public Task<bool> DeletePodAsync(string ns, string name, CancellationToken cancellationToken) =>
        inner.DeletePodAsync(ns, name, cancellationToken);

    public Task<V1PersistentVolume> UpdatePersistentVolumeAsync(V1PersistentVolume volume, CancellationToken cancellationToken) =>
        inner.UpdatePersistentVolumeAsync(volume, cancellationToken);

    public Task<V1PersistentVolumeClaim> UpdatePersistentVolumeClaimAsync(V1PersistentVolumeClaim claim, CancellationToken cancellationToken) =>
        inner.UpdatePersistentVolumeClaimAsync(claim, cancellationToken);
}
