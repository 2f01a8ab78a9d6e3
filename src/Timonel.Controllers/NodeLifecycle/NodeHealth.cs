namespace Timonel.Controllers.NodeLifecycle;

/// <summary>
/// What the controller last saw of a node's heartbeats and when it saw them change (upstream's nodeHealthData): the
/// grace period runs on this controller's clock from that moment, so clock skew between node and controller cannot
/// shorten or lengthen it.
/// </summary>
internal sealed record NodeHealth(DateTime? ReadyHeartbeat, DateTime? LeaseRenewTime, DateTimeOffset ProbeTimestamp);
