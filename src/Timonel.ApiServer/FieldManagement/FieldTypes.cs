using System.Collections.Concurrent;
using Timonel.Api.Patching;
using Timonel.ApiServer.OpenApi;

namespace Timonel.ApiServer.FieldManagement;

/// <summary>The <see cref="FieldType"/> of each kind, built once from the field catalog and the merge metadata.</summary>
internal static class FieldTypes
{
    private static readonly ConcurrentDictionary<(string ApiVersion, string Kind), FieldType> _kinds = new();

    // Custom resources have no catalog entry, but their metadata is ObjectMeta like any kind's.
    private static readonly Lazy<FieldType> _objectMeta = new(() =>
        ForKind("v1", "ConfigMap").Field("metadata"));

    public static FieldType ForKind(string apiVersion, string kind) =>
        _kinds.GetOrAdd((apiVersion, kind), key =>
        {
            var shape = FieldCatalog.BuiltIn.Kind(key.ApiVersion, key.Kind);
            return FieldType.ForKind(shape, PatchSchemas.ForKind(key.ApiVersion, key.Kind), shape is null ? _objectMeta.Value : null);
        });
}
