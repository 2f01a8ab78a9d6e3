using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Registry.Certificates;

/// <summary>
/// PUT certificatesigningrequests/NAME/approval (what <c>kubectl certificate approve|deny</c> sends), upstream's
/// csrApprovalStrategy: only status.conditions change; spec, the issued certificate and the rest stay as stored.
/// Approved and Denied may not both be set, nor removed once set (ValidateCertificateSigningRequestApprovalUpdate).
/// </summary>
public sealed class CertificateApprovalStrategy : IResourceStrategy, ISubresourceStrategy
{
    private readonly IResourceStrategy _main;
    private readonly TimeProvider _time;

    public CertificateApprovalStrategy(IResourceStrategy main, TimeProvider time)
    {
        _main = main;
        _time = time;
    }

    public string Subresource => "approval";

    public IReadOnlyList<TableColumn> Columns => _main.Columns;

    public ValidateNameFunc NameValidation => _main.NameValidation;

    public void PrepareForCreate(JsonObject created) => _main.PrepareForCreate(created);

    public void PrepareForUpdate(JsonObject updated, JsonObject old)
    {
        var conditions = updated.At("status", "conditions")?.DeepClone();
        var metadata = updated["metadata"]?.DeepClone();
        updated.ReplaceContent(old);
        if (metadata is not null)
        {
            updated["metadata"] = metadata;
        }

        var status = updated["status"] as JsonObject ?? [];
        updated["status"] = status;
        if (conditions is null)
        {
            status.Remove("conditions");
        }
        else
        {
            status["conditions"] = conditions;
        }

        CertificateConditions.PopulateTimestamps(updated, old, _time);
    }

    public void ApplyDefaults(JsonObject obj) => _main.ApplyDefaults(obj);

    public FieldErrorList Validate(JsonObject obj) => _main.Validate(obj);

    public FieldErrorList ValidateUpdate(JsonObject updated, JsonObject old)
    {
        var errors = new FieldErrorList();
        var path = FieldPath.Root("status").Child("conditions");
        var conditions = updated.ArrayAt("status", "conditions").Objects().ToList();
        var types = conditions.Select(c => c.StringAt("type") ?? "").ToList();
        for (var i = 0; i < conditions.Count; i++)
        {
            var type = types[i];
            if (type is "Approved" or "Denied")
            {
                if (conditions[i].StringAt("status") != "True")
                {
                    errors.Add(FieldError.NotSupported(path.Index(i).Child("status"), conditions[i].StringAt("status") ?? "", ["True"]));
                }

                if (types.IndexOf(type) != i)
                {
                    errors.Add(FieldError.Duplicate(path.Index(i).Child("type"), type));
                }
            }
        }

        if (types.Contains("Approved") && types.Contains("Denied"))
        {
            errors.Add(FieldError.Invalid(path, types.Count, "Approved and Denied conditions are mutually exclusive"));
        }

        var oldTypes = old.ArrayAt("status", "conditions").Objects().Select(c => c.StringAt("type")).ToHashSet();
        foreach (var kept in new[] { "Approved", "Denied" })
        {
            if (oldTypes.Contains(kept) && !types.Contains(kept))
            {
                errors.Add(FieldError.Forbidden(path, $"updates may not remove a condition of type \"{kept}\""));
            }
        }

        return errors;
    }

    public string? GetSelectableField(JsonObject obj, string field) => _main.GetSelectableField(obj, field);
}
