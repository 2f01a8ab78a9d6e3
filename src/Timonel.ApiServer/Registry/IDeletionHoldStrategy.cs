using System.Text.Json.Nodes;

namespace Timonel.ApiServer.Registry;

/// <summary>
/// Kinds whose removal waits on something of their own besides metadata.finalizers and a grace period: upstream's
/// namespace REST Delete (pkg/registry/core/namespace/storage/storage.go), which marks a namespace on the first
/// request (deletionTimestamp now, no deletionGracePeriodSeconds) and removes it only once spec.finalizers is empty.
/// </summary>
public interface IDeletionHoldStrategy
{
    /// <summary>
    /// On a delete request, with <paramref name="marked"/> a copy of the stored object: whether it must stay,
    /// marked for deletion without a grace period. May change the copy (a namespace's phase becomes Terminating).
    /// </summary>
    bool HoldOnDelete(JsonObject marked);

    /// <summary>Whether an object being deleted must stay although its metadata.finalizers are gone.</summary>
    bool HoldsRemoval(JsonObject obj);
}
