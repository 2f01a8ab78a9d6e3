using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;

namespace Timonel.ApiServer.Registry.Admissionregistration;

/// <summary>
/// ValidatingAdmissionPolicyBindings (pkg/registry/admissionregistration/validatingadmissionpolicybinding/strategy.go):
/// a spec without status; PARAMREF as printValidatingAdmissionPolicyBinding shows it.
/// </summary>
public sealed class ValidatingAdmissionPolicyBindingStrategy : ResourceStrategyBase
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        new("PolicyName", "string", (binding, _) => binding.StringAt("spec", "policyName") ?? "", 0, "", "PolicyName indicates the policy definition which the policy binding binded to"),
        new("ParamRef", "string", (binding, _) => ParamRef(binding.ObjectAt("spec", "paramRef")), 0, "", "ParamRef indicates the param resource which sets the configration param"),
        CommonColumns.Age,
    ];

    public override void ApplyDefaults(JsonObject obj) => AdmissionDefaults.MatchResources(obj.ObjectAt("spec", "matchResources"));

    public override FieldErrorList Validate(JsonObject obj) => AdmissionPolicyValidation.ValidateBinding(obj);

    private static string ParamRef(JsonObject? paramRef)
    {
        if (paramRef is null)
        {
            return "<unset>";
        }

        if (paramRef.StringAt("name") is { Length: > 0 } name)
        {
            // Without a namespace the param may be cluster-scoped or in any namespace: upstream prints "*".
            return (paramRef.StringAt("namespace") is { Length: > 0 } ns ? ns : "*") + "/" + name;
        }

        return paramRef.ObjectAt("selector") is { } selector ? LabelFormat.SelectorString(selector) : "<unset>";
    }
}
