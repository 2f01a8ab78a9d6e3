using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;

namespace Timonel.ApiServer.Registry.Apiextensions;

/// <summary>
/// CustomResourceDefinitions (apiextensions.k8s.io/v1): upstream's defaults and core validation, the cleanup
/// finalizer, and a status that says the names are accepted and the CRD established — the API server serves its
/// resources as soon as it is stored, so there is nothing to wait for.
/// </summary>
public sealed class CustomResourceDefinitionStrategy : ResourceStrategyBase
{
    /// <summary>Keeps a CRD until its custom resources are deleted (apiextensions' finalizer name).</summary>
    public const string CleanupFinalizer = "customresourcecleanup.apiextensions.k8s.io";

    private readonly TimeProvider _time;

    public CustomResourceDefinitionStrategy(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    public override IReadOnlyList<TableColumn> Columns => CommonColumns.DefaultTable;

    public override void ApplyDefaults(JsonObject obj)
    {
        // SetDefaults_CustomResourceDefinitionSpec (apiextensions/v1/defaults.go).
        var spec = obj.Child("spec");
        var names = spec.Child("names");
        if (names.StringAt("kind") is { Length: > 0 } kind)
        {
            names.SetDefault("singular", kind.ToLowerInvariant());
            names.SetDefault("listKind", kind + "List");
        }

        spec.SetDefault("conversion", new JsonObject { ["strategy"] = "None" });
    }

    public override void PrepareForCreate(JsonObject created)
    {
        base.PrepareForCreate(created);
        var finalizers = created.Metadata()["finalizers"] as JsonArray ?? [];
        if (!finalizers.Any(f => f?.GetValue<string>() == CleanupFinalizer))
        {
            finalizers.Add(CleanupFinalizer);
        }

        created.Metadata()["finalizers"] = finalizers;
        created["status"] = EstablishedStatus(created, null);
    }

    public override void PrepareForUpdate(JsonObject updated, JsonObject old)
    {
        base.PrepareForUpdate(updated, old);
        updated["status"] = EstablishedStatus(updated, old);
    }

    public override FieldErrorList Validate(JsonObject obj)
    {
        var errors = new FieldErrorList();
        var spec = FieldPath.Root("spec");
        var group = obj.StringAt("spec", "group") ?? "";
        var plural = obj.StringAt("spec", "names", "plural") ?? "";
        if (group.Length == 0)
        {
            errors.Add(FieldError.Required(spec.Child("group")));
        }
        else if (!group.Contains('.', StringComparison.Ordinal))
        {
            errors.Add(FieldError.Invalid(spec.Child("group"), group, "should be a domain with at least one dot"));
        }

        if (plural.Length == 0)
        {
            errors.Add(FieldError.Required(spec.Child("names", "plural")));
        }

        if ((obj.StringAt("spec", "names", "kind") ?? "").Length == 0)
        {
            errors.Add(FieldError.Required(spec.Child("names", "kind")));
        }

        if (plural.Length > 0 && group.Length > 0 && obj.Name() != $"{plural}.{group}")
        {
            // ValidateCustomResourceDefinition: the name is <plural>.<group>.
            errors.Add(FieldError.Invalid(FieldPath.Root("metadata", "name"), obj.Name(), "must be spec.names.plural+\".\"+spec.group"));
        }

        if (obj.StringAt("spec", "scope") is not ("Namespaced" or "Cluster"))
        {
            errors.Add(FieldError.NotSupported(spec.Child("scope"), obj.StringAt("spec", "scope"), ["Cluster", "Namespaced"]));
        }

        var versions = obj.ArrayAt("spec", "versions").Objects().ToList();
        if (versions.Count == 0)
        {
            errors.Add(FieldError.Invalid(spec.Child("versions"), null, "must have exactly one version marked as storage version"));
        }
        else if (versions.Count(v => v.BoolAt("storage") == true) != 1)
        {
            errors.Add(FieldError.Invalid(spec.Child("versions"), null, "must have exactly one version marked as storage version"));
        }

        return errors;
    }

    public override FieldErrorList ValidateUpdate(JsonObject updated, JsonObject old)
    {
        var errors = Validate(updated);
        errors.AddRange(ObjectMetaValidation.ValidateImmutableField(updated.At("spec", "group"), old.At("spec", "group"), FieldPath.Root("spec", "group")));
        errors.AddRange(ObjectMetaValidation.ValidateImmutableField(updated.At("spec", "scope"), old.At("spec", "scope"), FieldPath.Root("spec", "scope")));
        return errors;
    }

    private JsonObject EstablishedStatus(JsonObject crd, JsonObject? old)
    {
        var now = ObjectMetadata.FormatTimestamp(_time.GetUtcNow());
        string Since(string type) =>
            old?.ArrayAt("status", "conditions").Objects().FirstOrDefault(c => c.StringAt("type") == type)?.StringAt("lastTransitionTime") ?? now;

        var stored = old?.ArrayAt("status", "storedVersions")?.Select(v => v?.GetValue<string>() ?? "").ToList() ?? [];
        if (crd.ArrayAt("spec", "versions").Objects().FirstOrDefault(v => v.BoolAt("storage") == true)?.StringAt("name") is { } storage && !stored.Contains(storage))
        {
            stored.Add(storage);
        }

        return new JsonObject
        {
            ["acceptedNames"] = crd.At("spec", "names")?.DeepClone(),
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", "no conflicts found", Since("NamesAccepted")),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", Since("Established"))),
            ["storedVersions"] = new JsonArray([.. stored.Select(v => (JsonNode)v)]),
        };
    }

    private static JsonObject Condition(string type, string reason, string message, string since) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["lastTransitionTime"] = since,
        ["reason"] = reason,
        ["message"] = message,
    };
}
