using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// Pods (pkg/registry/core/pod/strategy.go): a new pod is Pending with its QoS class, computed once the store has
/// applied the pod defaults and the admission plugins (Admission/); deletion waits for the kubelet unless the pod never ran on a node
/// or has finished.
/// </summary>
public sealed class PodStrategy : ResourceStrategyBase, IGracefulDeletionStrategy
{
    private readonly TimeProvider _time;

    public PodStrategy(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        new("Ready", "string", (pod, _) => PodTableRow.Of(pod).Ready, 0, "", "The aggregate readiness state of this pod for accepting traffic."),
        new("Status", "string", (pod, _) => PodTableRow.Of(pod).Status, 0, "", "The aggregate status of the containers in this pod."),
        new("Restarts", "string", (pod, context) => PodTableRow.Of(pod).Restarts(context), 0, "", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
        CommonColumns.Age,
        new("IP", "string", (pod, _) => OrNone(pod.ArrayAt("status", "podIPs").Objects().FirstOrDefault()?.StringAt("ip") ?? pod.StringAt("status", "podIP")), 1, "", "podIP address allocated to the pod."),
        new("Node", "string", (pod, _) => OrNone(pod.StringAt("spec", "nodeName")), 1, "", "NodeName indicates in which node this pod is scheduled."),
        new("Nominated Node", "string", (pod, _) => OrNone(pod.StringAt("status", "nominatedNodeName")), 1, "", "nominatedNodeName is set only when this pod preempts other pods on the node."),
        new("Readiness Gates", "string", (pod, _) => ReadinessGates(pod), 1, "", "If specified, all readiness gates will be evaluated for pod readiness."),
    ];

    public override void PrepareForCreate(JsonObject created)
    {
        base.PrepareForCreate(created);
        PodAffinityLabelKeys.Apply(created);

        // The QoS class is computed on the defaulted and admitted pod (requests taken from limits): the store applies
        // defaults and admission first, as upstream decodes with defaults and admits before PrepareForCreate.
        var status = new JsonObject { ["phase"] = "Pending" };
        if (created.ArrayAt("spec", "schedulingGates") is { Count: > 0 })
        {
            status["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "PodScheduled",
                ["status"] = "False",
                ["lastProbeTime"] = null,
                ["lastTransitionTime"] = ObjectMetadata.FormatTimestamp(_time.GetUtcNow()),
                ["reason"] = "SchedulingGated",
                ["message"] = "Scheduling is blocked due to non-empty scheduling gates",
            });
        }

        status["qosClass"] = PodQos.Compute(created);
        created["status"] = status;
    }

    public override void ApplyDefaults(JsonObject obj) => PodDefaults.Apply(obj);

    public override FieldErrorList Validate(JsonObject obj) => PodValidation.ValidateCreate(obj);

    public override FieldErrorList ValidateUpdate(JsonObject updated, JsonObject old) => PodValidation.ValidateUpdate(updated, old);

    public override string? GetSelectableField(JsonObject obj, string field) => field switch
    {
        "spec.nodeName" => obj.StringAt("spec", "nodeName") ?? "",
        "spec.restartPolicy" => obj.StringAt("spec", "restartPolicy") ?? "",
        "spec.schedulerName" => obj.StringAt("spec", "schedulerName") ?? "",
        "spec.serviceAccountName" => obj.StringAt("spec", "serviceAccountName") ?? "",
        "spec.hostNetwork" => obj.BoolAt("spec", "hostNetwork") == true ? "true" : "false",
        "status.phase" => obj.StringAt("status", "phase") ?? "",
        "status.podIP" => obj.ArrayAt("status", "podIPs").Objects().FirstOrDefault()?.StringAt("ip") ?? "",
        "status.nominatedNodeName" => obj.StringAt("status", "nominatedNodeName") ?? "",
        _ => null,
    };

    /// <summary>
    /// podStrategy.CheckGracefulDelete: the requested period, else the pod's terminationGracePeriodSeconds (0 if
    /// unset); 0 for a pod on no node or already Succeeded/Failed. A negative period counts as 1 (rest.BeforeDelete).
    /// </summary>
    public long GracePeriodSeconds(JsonObject current, long? requested)
    {
        var period = requested ?? current.LongAt("spec", "terminationGracePeriodSeconds") ?? 0;
        if (string.IsNullOrEmpty(current.StringAt("spec", "nodeName")) || current.StringAt("status", "phase") is "Succeeded" or "Failed")
        {
            return 0;
        }

        return period < 0 ? 1 : period;
    }

    private static string OrNone(string? value) => string.IsNullOrEmpty(value) ? "<none>" : value;

    private static string ReadinessGates(JsonObject pod)
    {
        var gates = pod.ArrayAt("spec", "readinessGates").Objects().ToList();
        if (gates.Count == 0)
        {
            return "<none>";
        }

        var conditions = pod.ArrayAt("status", "conditions").Objects().ToList();
        var satisfied = gates.Count(gate =>
            conditions.FirstOrDefault(c => c.StringAt("type") == gate.StringAt("conditionType"))?.StringAt("status") == "True");
        return $"{satisfied}/{gates.Count}";
    }
}
