using System.Collections.Concurrent;
using Timonel.Api.Patching;
using Timonel.ApiServer.OpenApi;
using Timonel.ApiServer.Registry;
using Timonel.ApiServer.Registry.CustomResources;

namespace Timonel.ApiServer.FieldManagement;

/// <summary>The <see cref="FieldType"/> of each resource: built-in kinds from the catalog, custom resources from their schema.</summary>
internal static class FieldTypes
{
    private static readonly ConcurrentDictionary<(string ApiVersion, string Kind), FieldType> _kinds = new();

    // Every kind's metadata is ObjectMeta, custom resources' too.
    private static readonly Lazy<FieldType> _objectMeta = new(() => ForKind("v1", "ConfigMap").Field("metadata"));

    /// <summary>The type of the resources <paramref name="definition"/> serves.</summary>
    public static FieldType For(ResourceDefinition definition) => definition.Strategy is CustomResourceStrategy custom
        ? SchemaFieldType.ForResource(custom.Schema, _objectMeta.Value)
        : ForKind(definition.ApiVersion, definition.Kind);

    public static FieldType ForKind(string apiVersion, string kind) =>
        _kinds.GetOrAdd((apiVersion, kind), key =>
        {
            // A kind the catalog lacks is read from its values, like a custom resource without a schema.
            return FieldCatalog.BuiltIn.Kind(key.ApiVersion, key.Kind) is { } shape
                ? CatalogFieldType.ForKind(shape, PatchSchemas.ForKind(key.ApiVersion, key.Kind))
                : SchemaFieldType.ForResource(null, _objectMeta.Value);
        });
}
