using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;

namespace Timonel.ApiServer.Registry.Admissionregistration;

/// <summary>
/// ValidatingAdmissionPolicies (pkg/registry/admissionregistration/validatingadmissionpolicy/strategy.go): spec and
/// status, failurePolicy Fail by default. Stored and served; this server evaluates no CEL.
/// </summary>
public sealed class ValidatingAdmissionPolicyStrategy : ResourceStrategyBase
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        new("Validations", "integer", (policy, _) => (long)(policy.ArrayAt("spec", "validations")?.Count ?? 0), 0, "", "Validations indicates the number of validation rules defined in this configuration"),
        new("ParamKind", "string", (policy, _) => policy.ObjectAt("spec", "paramKind") is { } kind ? $"{kind.StringAt("apiVersion")}/{kind.StringAt("kind")}" : "<unset>", 0, "", "ParamKind specifies the kind of resources used to parameterize this policy"),
        CommonColumns.Age,
    ];

    public override void ApplyDefaults(JsonObject obj)
    {
        var spec = obj.Child("spec");
        Core.ContainerDefaults.SetIfEmpty(spec, "failurePolicy", "Fail");
        AdmissionDefaults.MatchResources(spec.ObjectAt("matchConstraints"));
    }

    public override FieldErrorList Validate(JsonObject obj) => AdmissionPolicyValidation.ValidatePolicy(obj);
}
