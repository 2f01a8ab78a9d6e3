using k8s;
using k8s.Models;

namespace Timonel.Controllers.Deployment;

/// <summary>
/// Deployment condition types, reasons and messages (pkg/controller/deployment/util/deployment_util.go) and
/// SetDeploymentCondition's rule: a condition with the same status and reason is left alone (message included), and
/// lastTransitionTime moves only when the status does.
/// </summary>
internal static class DeploymentConditions
{
    public const string Available = "Available";
    public const string Progressing = "Progressing";
    public const string ReplicaFailure = "ReplicaFailure";

    public const string MinimumReplicasAvailable = "MinimumReplicasAvailable";
    public const string MinimumReplicasUnavailable = "MinimumReplicasUnavailable";
    public const string NewRsReason = "NewReplicaSetCreated";
    public const string FoundNewRsReason = "FoundNewReplicaSet";
    public const string ReplicaSetUpdatedReason = "ReplicaSetUpdated";
    public const string NewRsAvailableReason = "NewReplicaSetAvailable";
    public const string TimedOutReason = "ProgressDeadlineExceeded";
    public const string PausedDeployReason = "DeploymentPaused";
    public const string ResumedDeployReason = "DeploymentResumed";
    public const string FailedRsCreateReason = "ReplicaSetCreateError";

    public static V1DeploymentCondition New(string type, string status, string reason, string message, DateTime now) => new()
    {
        Type = type,
        Status = status,
        Reason = reason,
        Message = message,
        LastUpdateTime = now,
        LastTransitionTime = now,
    };

    public static V1DeploymentCondition? Get(V1DeploymentStatus? status, string type) => status?.Conditions?.FirstOrDefault(c => c.Type == type);

    public static void Set(V1DeploymentStatus status, V1DeploymentCondition condition)
    {
        var current = Get(status, condition.Type);
        if (current is not null && current.Status == condition.Status && current.Reason == condition.Reason)
        {
            return;
        }

        if (current is not null && current.Status == condition.Status)
        {
            condition.LastTransitionTime = current.LastTransitionTime;
        }

        status.Conditions = [.. (status.Conditions ?? []).Where(c => c.Type != condition.Type), condition];
    }

    public static void Remove(V1DeploymentStatus status, string type) =>
        status.Conditions = status.Conditions is null ? null : [.. status.Conditions.Where(c => c.Type != type)];

    /// <summary>ReplicaSetToDeploymentCondition: lastUpdateTime is the ReplicaSet condition's transition time.</summary>
    public static V1DeploymentCondition FromReplicaSet(V1ReplicaSetCondition c) => new()
    {
        Type = c.Type,
        Status = c.Status,
        Reason = c.Reason,
        Message = c.Message,
        LastTransitionTime = c.LastTransitionTime,
        LastUpdateTime = c.LastTransitionTime,
    };

    /// <summary>A deep copy, so a status built from a lister's object never shares its conditions.</summary>
    public static V1DeploymentCondition Copy(V1DeploymentCondition c) => KubernetesJson.Deserialize<V1DeploymentCondition>(KubernetesJson.Serialize(c));
}
