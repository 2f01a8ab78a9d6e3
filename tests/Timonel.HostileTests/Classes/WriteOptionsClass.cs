using System.Text;
using Timonel.HostileTests.Targets;

namespace Timonel.HostileTests.Classes;

/// <summary>
/// Creates, updates and patches whose query options do not validate: an unknown dryRun or fieldValidation value, a
/// field manager too long or with a control character. Upstream validates the options before it decodes the body
/// (handlers/create.go, update.go, patch.go: ValidateCreateOptions, ValidateUpdateOptions, ValidatePatchOptions) and
/// answers 422 '&lt;Kind&gt;Options.meta.k8s.io "" is invalid'; options it cannot parse at all are 400. A server that
/// ignored an unknown dryRun value would write: the store check catches it.
/// </summary>
internal sealed class WriteOptionsClass : HostileClass
{
    private static readonly (string Query, string Message)[] _invalid =
    [
        ("dryRun=Bogus", "dryRun: Unsupported value"),
        ("dryRun=All&dryRun=Bogus", "dryRun: Unsupported value"),
        ("dryRun=all", "dryRun: Unsupported value"),
        ("fieldValidation=Bogus", "fieldValidation: Unsupported value"),
        ("fieldValidation=strict", "fieldValidation: Unsupported value"),
        ("fieldManager=" + new string('m', 129), "fieldManager: Too long"),
        ("fieldManager=a%07", "fieldManager: Invalid value"),
        ("fieldManager=%00", "fieldManager: Invalid value"),
    ];

    public override string Name => "write-options";

    public override IEnumerable<HostileCase> Cases(SuiteTarget target, Random random)
    {
        foreach (var existing in target.Existing)
        {
            var created = existing.Body.DeepClone().AsObject();
            created["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "written" };
            var body = Encoding.UTF8.GetBytes(created.ToJsonString());
            var update = Encoding.UTF8.GetBytes(existing.Body.ToJsonString());
            foreach (var (query, message) in _invalid)
            {
                yield return HostileCase.WithBody($"create {existing.Kind.Kind} ?{query}", "POST", existing.Kind.CollectionPath + "?" + query, "application/json", body,
                    Expectation.Invalid("CreateOptions.meta.k8s.io \"\" is invalid: " + message));
                yield return HostileCase.WithBody($"update {existing.Kind.Kind} ?{query}", "PUT", existing.Path + "?" + query, "application/json", update,
                    Expectation.Invalid("UpdateOptions.meta.k8s.io \"\" is invalid: " + message));
                yield return HostileCase.WithBody($"merge patch {existing.Kind.Kind} ?{query}", "PATCH", existing.Path + "?" + query, "application/merge-patch+json",
                    "{\"metadata\":{\"labels\":{\"written\":\"yes\"}}}"u8.ToArray(), Expectation.Invalid("PatchOptions.meta.k8s.io \"\" is invalid: " + message));
            }
        }
    }
}
