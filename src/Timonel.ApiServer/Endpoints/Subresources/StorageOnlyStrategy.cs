using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Endpoints.Subresources;

/// <summary>
/// A write that goes straight to storage, as upstream's binding and eviction storage do through
/// Storage.GuaranteedUpdate: no defaults, no strategy preparation, no validation beyond metadata. The change is the
/// server's own, made by the caller's mutation (a pod's node, a budget's counters).
/// </summary>
internal sealed class StorageOnlyStrategy : IResourceStrategy
{
    private readonly IResourceStrategy _main;

    public StorageOnlyStrategy(IResourceStrategy main) => _main = main;

    public IReadOnlyList<TableColumn> Columns => _main.Columns;

    public ValidateNameFunc NameValidation => _main.NameValidation;

    public void PrepareForCreate(JsonObject created) => _main.PrepareForCreate(created);

    public void PrepareForUpdate(JsonObject updated, JsonObject old)
    {
    }

    public void ApplyDefaults(JsonObject obj)
    {
    }

    public FieldErrorList Validate(JsonObject obj) => _main.Validate(obj);

    public FieldErrorList ValidateUpdate(JsonObject updated, JsonObject old) => [];

    public string? GetSelectableField(JsonObject obj, string field) => _main.GetSelectableField(obj, field);
}
