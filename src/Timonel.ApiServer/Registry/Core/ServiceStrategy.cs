using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// Services (pkg/registry/core/service/strategy.go, defaults from pkg/apis/core/v1/defaults.go SetDefaults_Service).
/// Cluster IPs and node ports are allocated elsewhere; this only fills in policies and ports, and the IP family
/// fields a single-stack IPv4 cluster gives (pkg/registry/core/service/storage/alloc.go initIPFamilyFields).
/// </summary>
public sealed class ServiceStrategy : ResourceStrategyBase
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        new("Type", "string", (svc, _) => svc.StringAt("spec", "type") ?? "", 0, "", "type determines how the Service is exposed."),
        new("Cluster-IP", "string", (svc, _) => TableCells.Strings(svc.ArrayAt("spec", "clusterIPs")).FirstOrDefault() ?? "<none>", 0, "", "clusterIP is the IP address of the service and is usually assigned randomly."),
        new("External-IP", "string", (svc, _) => ExternalIp(svc), 0, "", "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service."),
        new("Port(s)", "string", (svc, _) => Ports(svc), 0, "", "The list of ports that are exposed by this service."),
        CommonColumns.Age,
        new("Selector", "string", (svc, _) => LabelFormat.FormatLabels(svc.ObjectAt("spec", "selector")), 1, "", "Route service traffic to pods with label keys and values matching this selector."),
    ];

    public override void PrepareForCreate(JsonObject created) =>
        StatusRules.ResetStatus(created, new JsonObject { ["loadBalancer"] = new JsonObject() });

    public override void PrepareForUpdate(JsonObject updated, JsonObject old) => StatusRules.KeepStatus(updated, old);

    public override void ApplyDefaults(JsonObject obj)
    {
        var spec = obj.Child("spec");
        ContainerDefaults.SetIfEmpty(spec, "type", "ClusterIP");
        ContainerDefaults.SetIfEmpty(spec, "sessionAffinity", "None");
        if (spec.StringAt("sessionAffinity") == "ClientIP")
        {
            // v1.DefaultClientIPServiceAffinitySeconds: 3 hours.
            spec.Child("sessionAffinityConfig").Child("clientIP").SetDefault("timeoutSeconds", 10800);
        }

        foreach (var port in spec.ArrayAt("ports").Objects())
        {
            ContainerDefaults.SetIfEmpty(port, "protocol", "TCP");
            if (port["targetPort"] is not JsonValue target
                || (target is JsonValue number && number.AsLong() == 0)
                || (target.GetValueKind() == JsonValueKind.String && target.GetValue<string>().Length == 0))
            {
                port["targetPort"] = port["port"]?.DeepClone();
            }
        }

        var type = spec.StringAt("type");
        if (type is "NodePort" or "LoadBalancer")
        {
            ContainerDefaults.SetIfEmpty(spec, "externalTrafficPolicy", "Cluster");
        }

        if (type is "ClusterIP" or "NodePort" or "LoadBalancer")
        {
            spec.SetDefault("internalTrafficPolicy", "Cluster");
            var headlessWithoutSelector = spec.StringAt("clusterIP") == "None" && TableCells.CountOf(spec["selector"]) == 0;
            spec.SetDefault("ipFamilyPolicy", headlessWithoutSelector ? "RequireDualStack" : "SingleStack");
            spec.SetDefault("ipFamilies", new JsonArray("IPv4"));
        }

        if (type == "LoadBalancer")
        {
            spec.SetDefault("allocateLoadBalancerNodePorts", true);
        }
    }

    /// <summary>Service names are DNS-1035 labels (ValidateServiceName).</summary>
    public override ValidateNameFunc NameValidation => Api.Validation.NameValidation.NameIsDns1035Label;

    public override FieldErrorList Validate(JsonObject obj) => ServiceValidation.Validate(obj);

    public override FieldErrorList ValidateUpdate(JsonObject updated, JsonObject old) => ServiceValidation.ValidateUpdate(updated, old);

    public override string? GetSelectableField(JsonObject obj, string field) => field switch
    {
        "spec.clusterIP" => obj.StringAt("spec", "clusterIP") ?? "",
        "spec.type" => obj.StringAt("spec", "type") ?? "",
        _ => null,
    };

    /// <summary>getServiceExternalIP (wide, as the server always prints): external IPs, load balancer ingress, or placeholders.</summary>
    public static string ExternalIp(JsonObject svc)
    {
        var externalIps = TableCells.Strings(svc.ArrayAt("spec", "externalIPs")).ToList();
        switch (svc.StringAt("spec", "type"))
        {
            case "ClusterIP" or "NodePort":
                return externalIps.Count > 0 ? string.Join(',', externalIps) : "<none>";
            case "LoadBalancer":
                var ingress = TableCells.LoadBalancerIngress(svc.ObjectAt("status", "loadBalancer"));
                if (externalIps.Count > 0)
                {
                    return string.Join(',', (ingress.Length > 0 ? ingress.Split(',') : []).Concat(externalIps));
                }

                return ingress.Length > 0 ? ingress : "<pending>";
            case "ExternalName":
                return svc.StringAt("spec", "externalName") ?? "";
            default:
                return "<unknown>";
        }
    }

    /// <summary>makePortString: "80/TCP", or "80:30080/TCP" with a node port; "&lt;none&gt;" without ports.</summary>
    public static string Ports(JsonObject svc)
    {
        var pieces = svc.ArrayAt("spec", "ports").Objects().Select(port =>
        {
            var number = (port.LongAt("port") ?? 0).ToString(CultureInfo.InvariantCulture);
            var protocol = port.StringAt("protocol") ?? "";
            return (port.LongAt("nodePort") ?? 0) > 0 ? $"{number}:{port.LongAt("nodePort")}/{protocol}" : $"{number}/{protocol}";
        }).ToList();
        return pieces.Count == 0 ? "<none>" : string.Join(',', pieces);
    }
}
