using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// PUT /api/v1/namespaces/NAME/finalize: the only way to change spec.finalizers (upstream's
/// namespaceFinalizeStrategy); everything else stays as stored.
/// </summary>
public sealed class NamespaceFinalizeStrategy : IResourceStrategy
{
    private readonly IResourceStrategy _main;

    public NamespaceFinalizeStrategy(IResourceStrategy main) => _main = main;

    public IReadOnlyList<TableColumn> Columns => _main.Columns;

    public ValidateNameFunc NameValidation => _main.NameValidation;

    public void PrepareForCreate(JsonObject created) => _main.PrepareForCreate(created);

    public void PrepareForUpdate(JsonObject updated, JsonObject old)
    {
        var finalizers = updated.At("spec", "finalizers")?.DeepClone();
        updated.ReplaceContent(old);

        updated.Child("spec")["finalizers"] = finalizers ?? new JsonArray();
    }

    public void ApplyDefaults(JsonObject obj)
    {
    }

    public FieldErrorList Validate(JsonObject obj) => _main.Validate(obj);

    public FieldErrorList ValidateUpdate(JsonObject updated, JsonObject old) => _main.ValidateUpdate(updated, old);

    public string? GetSelectableField(JsonObject obj, string field) => _main.GetSelectableField(obj, field);
}
