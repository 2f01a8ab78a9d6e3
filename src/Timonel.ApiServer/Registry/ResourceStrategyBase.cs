using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;

namespace Timonel.ApiServer.Registry;

/// <summary>
/// The behaviour most kinds share: status is owned by controllers (reset on create, kept on update),
/// generation counts spec changes, no extra defaults, validation of metadata only, NAME/AGE columns.
/// A kind's strategy overrides what differs.
/// </summary>
public abstract class ResourceStrategyBase : IResourceStrategy
{
    /// <summary>Whether the kind has a spec/status split (ConfigMap, Secret, ... do not).</summary>
    protected virtual bool HasSpecAndStatus => true;

    public virtual IReadOnlyList<TableColumn> Columns => CommonColumns.DefaultTable;

    public virtual void PrepareForCreate(JsonObject created)
    {
        if (HasSpecAndStatus)
        {
            created.Remove("status");
            created.Metadata()["generation"] = 1;
        }
    }

    public virtual void PrepareForUpdate(JsonObject updated, JsonObject old)
    {
        if (!HasSpecAndStatus)
        {
            return;
        }

        if (old["status"] is { } status)
        {
            updated["status"] = status.DeepClone();
        }
        else
        {
            updated.Remove("status");
        }

        var generation = old.LongAt("metadata", "generation") ?? 1;
        updated.Metadata()["generation"] = JsonNodeExtensions.DeepEqual(updated["spec"], old["spec"]) ? generation : generation + 1;
    }

    public virtual void ApplyDefaults(JsonObject obj)
    {
    }

    public virtual ValidateNameFunc NameValidation => Api.Validation.NameValidation.NameIsDnsSubdomain;

    public virtual FieldErrorList Validate(JsonObject obj) => [];

    public virtual FieldErrorList ValidateUpdate(JsonObject updated, JsonObject old) => Validate(updated);

    public virtual string? GetSelectableField(JsonObject obj, string field) => null;
}
