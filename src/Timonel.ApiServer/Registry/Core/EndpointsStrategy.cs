using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>Endpoints (pkg/registry/core/endpoint/strategy.go): data only, port protocol TCP by default, subsets validated.</summary>
public sealed class EndpointsStrategy : ResourceStrategyBase
{
    protected override bool HasSpecAndStatus => false;

    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        new("Endpoints", "string", (ep, _) => Format(ep), 0, "", "The set of all endpoints is the union of all subsets."),
        CommonColumns.Age,
    ];

    public override void ApplyDefaults(JsonObject obj)
    {
        foreach (var subset in obj.ArrayAt("subsets").Objects())
        {
            foreach (var port in subset.ArrayAt("ports").Objects())
            {
                ContainerDefaults.SetIfEmpty(port, "protocol", "TCP");
            }
        }
    }

    public override FieldErrorList Validate(JsonObject obj) => EndpointsValidation.Validate(obj);

    /// <summary>formatEndpoints: up to three "ip:port" (or bare IPs for port-less subsets), then " + N more...".</summary>
    public static string Format(JsonObject endpoints)
    {
        var subsets = endpoints.ArrayAt("subsets").Objects().ToList();
        if (subsets.Count == 0)
        {
            return "<none>";
        }

        var all = new List<string>();
        foreach (var subset in subsets)
        {
            var addresses = subset.ArrayAt("addresses").Objects().Select(a => a.StringAt("ip") ?? "").ToList();
            var ports = subset.ArrayAt("ports").Objects().ToList();
            if (ports.Count == 0)
            {
                all.AddRange(addresses);
                continue;
            }

            foreach (var port in ports)
            {
                all.AddRange(addresses.Select(ip => JoinHostPort(ip, port.LongAt("port") ?? 0)));
            }
        }

        const int max = 3;
        var shown = string.Join(',', all.Take(max));
        return all.Count > max ? $"{shown} + {all.Count - max} more..." : shown;
    }

    // net.JoinHostPort brackets IPv6 addresses.
    private static string JoinHostPort(string ip, long port) => ip.Contains(':', StringComparison.Ordinal) ? $"[{ip}]:{port}" : $"{ip}:{port}";
}
