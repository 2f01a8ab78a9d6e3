using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;

namespace Timonel.ApiServer.Registry.Apps;

/// <summary>ControllerRevisions (pkg/registry/apps/controllerrevision/strategy.go): data only; CONTROLLER is kind.group/name of the owner.</summary>
public sealed class ControllerRevisionStrategy : ResourceStrategyBase
{
    protected override bool HasSpecAndStatus => false;

    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        new("Controller", "string", (cr, _) => Controller(cr), 0, "", "Controller of the object"),
        new("Revision", "string", (cr, _) => cr.LongAt("revision") ?? 0, 0, "", "Revision indicates the revision of the state represented by Data."),
        CommonColumns.Age,
    ];

    /// <summary>The controlling owner as "statefulset.apps/web" (formatResourceName with the GroupKind), or "&lt;none&gt;".</summary>
    public static string Controller(JsonObject obj)
    {
        var owner = obj.ArrayAt("metadata", "ownerReferences").Objects().FirstOrDefault(o => o.BoolAt("controller") == true);
        if (owner is null)
        {
            return "<none>";
        }

        var apiVersion = owner.StringAt("apiVersion") ?? "";
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var group = slash >= 0 ? apiVersion[..slash] : "";
        var kind = owner.StringAt("kind") ?? "";
        var name = owner.StringAt("name") ?? "";
        if (kind.Length == 0 && group.Length == 0)
        {
            return name;
        }

        var groupKind = group.Length == 0 ? kind : $"{kind}.{group}";
        return $"{groupKind.ToLowerInvariant()}/{name}";
    }
}
