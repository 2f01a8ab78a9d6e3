using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;
using Timonel.ApiServer.Registry.Core;

namespace Timonel.ApiServer.Registry.Networking;

/// <summary>
/// Ingresses (pkg/registry/networking/ingress/strategy.go). Nothing to default (pathType is required);
/// a new ingress has an empty load balancer status.
/// </summary>
public sealed class IngressStrategy : ResourceStrategyBase
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        new("Class", "string", (ing, _) => ing.StringAt("spec", "ingressClassName") ?? "<none>", 0, "", "The name of the IngressClass resource that should be used for additional configuration"),
        new("Hosts", "string", (ing, _) => Hosts(ing), 0, "", "Hosts that incoming requests are matched against before the ingress rule"),
        new("Address", "string", (ing, _) => TableCells.LoadBalancerIngress(ing.ObjectAt("status", "loadBalancer")), 0, "", "Address is a list containing ingress points for the load-balancer"),
        new("Ports", "string", (ing, _) => ing.ArrayAt("spec", "tls") is { Count: > 0 } ? "80, 443" : "80", 0, "", "Ports of TLS configurations that open"),
        CommonColumns.Age,
    ];

    public override void PrepareForCreate(JsonObject created)
    {
        base.PrepareForCreate(created);
        created["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
    }

    /// <summary>formatHosts: up to three rule hosts, "*" when none names a host.</summary>
    public static string Hosts(JsonObject ingress)
    {
        var rules = ingress.ArrayAt("spec", "rules").Objects().ToList();
        const int max = 3;
        var hosts = new List<string>();
        var more = false;
        foreach (var rule in rules)
        {
            if (hosts.Count == max)
            {
                more = true;
            }

            if (!more && rule.StringAt("host") is { Length: > 0 } host)
            {
                hosts.Add(host);
            }
        }

        if (hosts.Count == 0)
        {
            return "*";
        }

        var text = string.Join(',', hosts);
        return more ? $"{text} + {rules.Count - max} more..." : text;
    }

    public override FieldErrorList Validate(JsonObject obj) => IngressValidation.ValidateIngress(obj);

    public override FieldErrorList ValidateUpdate(JsonObject updated, JsonObject old) => IngressValidation.ValidateIngress(updated);
}
