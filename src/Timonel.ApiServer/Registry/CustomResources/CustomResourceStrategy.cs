using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;

namespace Timonel.ApiServer.Registry.CustomResources;

/// <summary>
/// How custom resources of one CRD version behave (apiextensions-apiserver's customResourceStrategy): with a status
/// subresource, status is owned by /status and generation counts changes to everything but metadata and status;
/// without one, every non-metadata change counts. The schema defaults, prunes and validates.
/// </summary>
public sealed class CustomResourceStrategy : IResourceStrategy, IUnknownFieldSource
{
    private readonly StructuralSchema? _schema;
    private readonly bool _statusSubresource;

    public CustomResourceStrategy(StructuralSchema? schema, bool statusSubresource, IReadOnlyList<TableColumn> columns)
    {
        _schema = schema;
        _statusSubresource = statusSubresource;
        Columns = columns;
    }

    public IReadOnlyList<TableColumn> Columns { get; }

    /// <summary>The version's openAPIV3Schema (not to be changed), or null for a version without one.</summary>
    public JsonObject? Schema => _schema?.Root;

    public ValidateNameFunc NameValidation => Api.Validation.NameValidation.NameIsDnsSubdomain;

    public void PrepareForCreate(JsonObject created)
    {
        if (_statusSubresource)
        {
            created.Remove("status");
        }

        created.Metadata()["generation"] = 1;
    }

    public void PrepareForUpdate(JsonObject updated, JsonObject old)
    {
        if (_statusSubresource)
        {
            if (old["status"] is { } status)
            {
                updated["status"] = status.DeepClone();
            }
            else
            {
                updated.Remove("status");
            }
        }

        var generation = old.LongAt("metadata", "generation") ?? 1;
        updated.Metadata()["generation"] = ContentChanged(updated, old) ? generation + 1 : generation;
    }

    public void ApplyDefaults(JsonObject obj) => _schema?.DefaultAndPrune(obj);

    public FieldErrorList Validate(JsonObject obj) => _schema?.Validate(obj) ?? [];

    public FieldErrorList ValidateUpdate(JsonObject updated, JsonObject old) => Validate(updated);

    public string? GetSelectableField(JsonObject obj, string field) => null;

    /// <summary>What pruning would remove, for fieldValidation=Strict|Warn (checked on a copy).</summary>
    public IReadOnlyList<string> UnknownFields(JsonObject obj) =>
        _schema?.DefaultAndPrune(obj.DeepClone().AsObject()) ?? [];

    private bool ContentChanged(JsonObject updated, JsonObject old) =>
        updated.Concat(old).Select(p => p.Key).Distinct(StringComparer.Ordinal)
            .Where(key => key is not ("metadata" or "apiVersion" or "kind") && !(_statusSubresource && key == "status"))
            .Any(key => !JsonNodeExtensions.DeepEqual(updated[key], old[key]));
}
