using k8s.Models;

namespace Timonel.Controllers.Replication;

/// <summary>
/// ReplicationController ↔ ReplicaSet, field for field, as upstream converts them for its ReplicationManager
/// (pkg/controller/replication/conversion.go, convertRCtoRS and convertRStoRC): the map selector becomes matchLabels
/// and back. Metadata and the template are shared, not copied: the results are read-only, as cached objects are.
/// </summary>
internal static class ReplicationControllerConversion
{
    public static V1ReplicaSet ToReplicaSet(V1ReplicationController rc) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "ReplicaSet",
        Metadata = rc.Metadata,
        Spec = new V1ReplicaSetSpec
        {
            Replicas = rc.Spec?.Replicas,
            MinReadySeconds = rc.Spec?.MinReadySeconds,
            Selector = new V1LabelSelector { MatchLabels = rc.Spec?.Selector ?? new Dictionary<string, string>() },
            Template = rc.Spec?.Template,
        },
        Status = rc.Status is not { } status ? null : new V1ReplicaSetStatus
        {
            Replicas = status.Replicas,
            FullyLabeledReplicas = status.FullyLabeledReplicas,
            ReadyReplicas = status.ReadyReplicas,
            AvailableReplicas = status.AvailableReplicas,
            ObservedGeneration = status.ObservedGeneration,
            Conditions = status.Conditions?.Select(c => new V1ReplicaSetCondition
            {
                Type = c.Type,
                Status = c.Status,
                Reason = c.Reason,
                Message = c.Message,
                LastTransitionTime = c.LastTransitionTime,
            }).ToList(),
        },
    };

    public static V1ReplicationController ToReplicationController(V1ReplicaSet rs) => new()
    {
        ApiVersion = "v1",
        Kind = "ReplicationController",
        Metadata = rs.Metadata,
        Spec = new V1ReplicationControllerSpec
        {
            Replicas = rs.Spec?.Replicas,
            MinReadySeconds = rs.Spec?.MinReadySeconds,
            Selector = rs.Spec?.Selector?.MatchLabels,
            Template = rs.Spec?.Template,
        },
        Status = rs.Status is not { } status ? null : ToReplicationControllerStatus(status),
    };

    public static V1ReplicationControllerStatus ToReplicationControllerStatus(V1ReplicaSetStatus status) => new()
    {
        Replicas = status.Replicas,
        FullyLabeledReplicas = status.FullyLabeledReplicas,
        ReadyReplicas = status.ReadyReplicas,
        AvailableReplicas = status.AvailableReplicas,
        ObservedGeneration = status.ObservedGeneration,
        Conditions = status.Conditions?.Select(c => new V1ReplicationControllerCondition
        {
            Type = c.Type,
            Status = c.Status,
            Reason = c.Reason,
            Message = c.Message,
            LastTransitionTime = c.LastTransitionTime,
        }).ToList(),
    };
}
