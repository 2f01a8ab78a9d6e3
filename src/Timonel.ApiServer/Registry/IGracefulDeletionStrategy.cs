using System.Text.Json.Nodes;

namespace Timonel.ApiServer.Registry;

/// <summary>
/// Kinds whose deletion is a process rather than an instant (pods wait for their kubelet, namespaces for their
/// content to go): upstream's RESTGracefulDeleteStrategy.
/// </summary>
public interface IGracefulDeletionStrategy
{
    /// <summary>
    /// The grace period to wait before the object may be removed, or 0 to remove it now (the requested period,
    /// if any, is given). May also change the object (e.g. a namespace's phase becomes Terminating).
    /// </summary>
    long GracePeriodSeconds(JsonObject current, long? requested);
}
