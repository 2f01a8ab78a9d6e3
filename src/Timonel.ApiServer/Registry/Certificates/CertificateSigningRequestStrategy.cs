using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Auth;
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

    /// <summary>
    /// Upstream's csrStrategy.PrepareForCreate: the requestor is who sends the request (spec.username, uid, groups and
    /// extra replaced from the request's user, cleared for the server's own writes), and nothing arrives approved.
    /// </summary>
    public override void PrepareForCreate(JsonObject created)
    {
        base.PrepareForCreate(created);
        var spec = created.Child("spec");
        foreach (var field in new[] { "username", "uid", "groups", "extra" })
        {
            spec.Remove(field);
        }

        if (RequestUser.Current is { } user)
        {
            spec["username"] = user.Name;
            if (user.Uid.Length > 0)
            {
                spec["uid"] = user.Uid;
            }

            if (user.Groups.Count > 0)
            {
                spec["groups"] = new JsonArray([.. user.Groups.Select(g => (JsonNode?)JsonValue.Create(g))]);
            }

            if (user.Extra.Count > 0)
            {
                spec["extra"] = new JsonObject(user.Extra.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)new JsonArray([.. e.Value.Select(v => (JsonNode?)JsonValue.Create(v))]))));
            }
        }

        // An empty status, as upstream's empty conditions list (omitempty) serializes.
        created["status"] = new JsonObject();
    }

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
