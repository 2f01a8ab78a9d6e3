using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;

namespace Timonel.ApiServer.Registry.Certificates;

/// <summary>
/// CertificateSigningRequests (pkg/registry/certificates/certificates/strategy.go): status reset on create; an update
/// of the main resource keeps spec and status as stored (only metadata changes), as upstream's PrepareForUpdate does.
/// </summary>
public sealed class CertificateSigningRequestStrategy : ResourceStrategyBase
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        CommonColumns.Age,
        new("SignerName", "string", (csr, _) => csr.StringAt("spec", "signerName") ?? "", 0, "", "signerName indicates the requested signer, and is a qualified name."),
        new("Requestor", "string", (csr, _) => csr.StringAt("spec", "username") ?? "", 0, "", "username contains the name of the user that created the CertificateSigningRequest."),
        new("RequestedDuration", "string", (csr, _) => csr.LongAt("spec", "expirationSeconds") is { } seconds ? HumanDuration.Format(TimeSpan.FromSeconds(seconds)) : "<none>", 0, "", "expirationSeconds is the requested duration of validity of the issued certificate."),
        new("Condition", "string", (csr, _) => Condition(csr), 0, "", "conditions applied to the request. Known conditions are \"Approved\", \"Denied\", and \"Failed\"."),
    ];

    public override void PrepareForUpdate(JsonObject updated, JsonObject old)
    {
        base.PrepareForUpdate(updated, old);
        if (old["spec"] is { } spec)
        {
            updated["spec"] = spec.DeepClone();
        }

        updated.Metadata()["generation"] = old.LongAt("metadata", "generation") ?? 1;
    }

    public override FieldErrorList Validate(JsonObject obj) => CertificateSigningRequestValidation.Validate(obj);

    /// <summary>printCertificateSigningRequest's extractCSRStatus: Denied over Approved over Pending, then Failed and Issued.</summary>
    public static string Condition(JsonObject csr)
    {
        var types = csr.ArrayAt("status", "conditions").Objects().Select(c => c.StringAt("type")).ToHashSet();
        var status = types.Contains("Denied") ? "Denied" : types.Contains("Approved") ? "Approved" : "Pending";
        if (types.Contains("Failed"))
        {
            status += ",Failed";
        }

        if (csr.StringAt("status", "certificate") is { Length: > 0 })
        {
            status += ",Issued";
        }

        return status;
    }
}
