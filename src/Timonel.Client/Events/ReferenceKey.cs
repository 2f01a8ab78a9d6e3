using k8s.Models;

namespace Timonel.Client.Events;

/// <summary>An ObjectReference compared by value, every field, as Go compares the struct.</summary>
internal readonly record struct ReferenceKey(string? ApiVersion, string? Kind, string? Namespace, string? Name, string? Uid, string? ResourceVersion, string? FieldPath)
{
    public static ReferenceKey Of(V1ObjectReference? r) =>
        r is null ? default : new(r.ApiVersion, r.Kind, r.NamespaceProperty, r.Name, r.Uid, r.ResourceVersion, r.FieldPath);
}
