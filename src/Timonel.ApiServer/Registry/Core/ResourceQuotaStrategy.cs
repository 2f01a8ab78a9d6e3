using System.Text;
using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// ResourceQuotas (pkg/registry/core/resourcequota/strategy.go): spec and status without generation;
/// REQUEST and LIMIT list "resource: used/hard" for each hard limit, limits.* under LIMIT.
/// </summary>
public sealed class ResourceQuotaStrategy : ResourceStrategyBase
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        new("Request", "string", (quota, _) => Usage(quota, limits: false), 0, "", "Request represents a minimum amount of cpu/memory that a container may consume."),
        new("Limit", "string", (quota, _) => Usage(quota, limits: true), 0, "", "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node."),
        CommonColumns.Age,
    ];

    public override void PrepareForCreate(JsonObject created) => StatusRules.ResetStatus(created, []);

    public override void PrepareForUpdate(JsonObject updated, JsonObject old) => StatusRules.KeepStatus(updated, old);

    private static string Usage(JsonObject quota, bool limits)
    {
        var hard = quota.ObjectAt("status", "hard");
        var used = quota.ObjectAt("status", "used");
        var builder = new StringBuilder();
        foreach (var name in (hard?.Select(p => p.Key) ?? []).Order(StringComparer.Ordinal))
        {
            var pieces = name.Split('.');
            if ((pieces.Length > 1 && pieces[0] == "limits") != limits)
            {
                continue;
            }

            if (builder.Length > 0)
            {
                builder.Append(", ");
            }

            builder.Append(name).Append(": ").Append(StoragePrinting.Quantity(used?[name])).Append('/').Append(StoragePrinting.Quantity(hard![name]));
        }

        return builder.ToString();
    }
}
