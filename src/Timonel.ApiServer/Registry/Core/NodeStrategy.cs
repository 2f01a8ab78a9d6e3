using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// Nodes (pkg/registry/core/node/strategy.go): the kubelet owns status (kept on spec updates, no generation);
/// SetDefaults_NodeStatus makes allocatable default to capacity.
/// </summary>
public sealed class NodeStrategy : ResourceStrategyBase
{
    // labelNodeRolePrefix and nodeLabelRole of the upstream printer.
    private const string RoleLabelPrefix = "node-role.kubernetes.io/";
    private const string RoleLabel = "kubernetes.io/role";

    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        new("Status", "string", (node, _) => Status(node), 0, "", "The status of the node"),
        new("Roles", "string", (node, _) => Roles(node), 0, "", "The roles of the node"),
        CommonColumns.Age,
        new("Version", "string", (node, _) => node.StringAt("status", "nodeInfo", "kubeletVersion") ?? "", 0, "", "Kubelet Version reported by the node."),
        new("Internal-IP", "string", (node, _) => Address(node, "InternalIP"), 1, "", "List of addresses reachable to the node."),
        new("External-IP", "string", (node, _) => Address(node, "ExternalIP"), 1, "", "List of addresses reachable to the node."),
        new("OS-Image", "string", (node, _) => Info(node, "osImage"), 1, "", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy))."),
        new("Kernel-Version", "string", (node, _) => Info(node, "kernelVersion"), 1, "", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
        new("Container-Runtime", "string", (node, _) => Info(node, "containerRuntimeVersion"), 1, "", "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2)."),
    ];

    public override void PrepareForCreate(JsonObject created)
    {
        // A node registers with its status (the kubelet creates it so); only the generation is not kept.
        created.Metadata().Remove("generation");
    }

    public override void PrepareForUpdate(JsonObject updated, JsonObject old) => StatusRules.KeepStatus(updated, old);

    public override void ApplyDefaults(JsonObject obj)
    {
        if (obj.ObjectAt("status") is { } status && status["capacity"] is JsonObject capacity)
        {
            status.SetDefault("allocatable", capacity.DeepClone());
        }
    }

    public override FieldErrorList Validate(JsonObject obj) => NodeValidation.Validate(obj);

    public override FieldErrorList ValidateUpdate(JsonObject updated, JsonObject old) => NodeValidation.ValidateUpdate(updated, old);

    public override string? GetSelectableField(JsonObject obj, string field) =>
        field == "spec.unschedulable" ? (obj.BoolAt("spec", "unschedulable") == true ? "true" : "false") : null;

    /// <summary>"Ready", "NotReady" or "Unknown" from the Ready condition, plus ",SchedulingDisabled" when cordoned.</summary>
    public static string Status(JsonObject node)
    {
        var ready = node.ArrayAt("status", "conditions").Objects().LastOrDefault(c => c.StringAt("type") == "Ready");
        var status = ready is null ? "Unknown" : ready.StringAt("status") == "True" ? "Ready" : "NotReady";
        return node.BoolAt("spec", "unschedulable") == true ? status + ",SchedulingDisabled" : status;
    }

    /// <summary>findNodeRoles: node-role.kubernetes.io/&lt;role&gt; labels and the kubernetes.io/role label, sorted.</summary>
    public static string Roles(JsonObject node)
    {
        var roles = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in node.Labels())
        {
            if (key.StartsWith(RoleLabelPrefix, StringComparison.Ordinal) && key.Length > RoleLabelPrefix.Length)
            {
                roles.Add(key[RoleLabelPrefix.Length..]);
            }
            else if (key == RoleLabel && value.Length > 0)
            {
                roles.Add(value);
            }
        }

        return roles.Count == 0 ? "<none>" : string.Join(',', roles);
    }

    private static string Address(JsonObject node, string type) =>
        node.ArrayAt("status", "addresses").Objects().FirstOrDefault(a => a.StringAt("type") == type)?.StringAt("address") ?? "<none>";

    private static string Info(JsonObject node, string field) =>
        node.StringAt("status", "nodeInfo", field) is { Length: > 0 } value ? value : "<unknown>";
}
