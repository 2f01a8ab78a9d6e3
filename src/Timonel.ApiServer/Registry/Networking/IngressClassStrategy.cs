using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;

namespace Timonel.ApiServer.Registry.Networking;

/// <summary>IngressClasses (pkg/registry/networking/ingressclass; SetDefaults_IngressClass: parameters scoped to the Cluster).</summary>
public sealed class IngressClassStrategy : ResourceStrategyBase
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        new("Controller", "string", (ic, _) => ic.StringAt("spec", "controller") ?? "", 0, "", "Controller that is responsible for handling this class"),
        new("Parameters", "string", (ic, _) => Parameters(ic), 0, "", "A reference to a resource with additional parameters"),
        CommonColumns.Age,
    ];

    // IngressClass has a spec and a generation but no status.
    public override void ApplyDefaults(JsonObject obj)
    {
        if (obj.ObjectAt("spec", "parameters") is { } parameters)
        {
            parameters.SetDefault("scope", "Cluster");
        }
    }

    private static string Parameters(JsonObject ingressClass)
    {
        if (ingressClass.ObjectAt("spec", "parameters") is not { } parameters)
        {
            return "<none>";
        }

        var kind = parameters.StringAt("kind") ?? "";
        var group = parameters.StringAt("apiGroup");
        return (group is null ? kind : $"{kind}.{group}") + "/" + parameters.StringAt("name");
    }

    public override FieldErrorList Validate(JsonObject obj) => IngressValidation.ValidateIngressClass(obj, old: null);

    public override FieldErrorList ValidateUpdate(JsonObject updated, JsonObject old) => IngressValidation.ValidateIngressClass(updated, old);
}
