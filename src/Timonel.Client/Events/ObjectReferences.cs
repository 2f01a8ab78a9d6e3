using System.Reflection;
using k8s;
using k8s.Models;

namespace Timonel.Client.Events;

/// <summary>
/// The reference an event carries to its object (apimachinery's ref.GetReference): apiVersion and kind from the object,
/// or from its model type when a typed list left them empty, then namespace, name, uid and resourceVersion.
/// </summary>
public static class ObjectReferences
{
    public static V1ObjectReference For(IKubernetesObject<V1ObjectMeta> obj, string? fieldPath = null)
    {
        var apiVersion = obj.ApiVersion;
        var kind = obj.Kind;
        if (string.IsNullOrEmpty(apiVersion) || string.IsNullOrEmpty(kind))
        {
            var entity = obj.GetType().GetCustomAttribute<KubernetesEntityAttribute>();
            apiVersion = string.IsNullOrEmpty(apiVersion) && entity is not null
                ? (string.IsNullOrEmpty(entity.Group) ? entity.ApiVersion : $"{entity.Group}/{entity.ApiVersion}")
                : apiVersion;
            kind = string.IsNullOrEmpty(kind) ? entity?.Kind : kind;
        }

        return new V1ObjectReference
        {
            ApiVersion = apiVersion,
            Kind = kind,
            NamespaceProperty = obj.Metadata?.NamespaceProperty,
            Name = obj.Metadata?.Name,
            Uid = obj.Metadata?.Uid,
            ResourceVersion = obj.Metadata?.ResourceVersion,
            FieldPath = fieldPath,
        };
    }
}
