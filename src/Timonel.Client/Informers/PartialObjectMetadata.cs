using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Timonel.Client.Informers;

/// <summary>
/// An object reduced to its metadata (meta.k8s.io/v1 PartialObjectMetadata), what metadata-only informers cache:
/// KubernetesClient has no such model. Its kind and apiVersion are the partial form's, not the object's; whoever
/// listed it knows the object's.
/// </summary>
public sealed class PartialObjectMetadata : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "meta.k8s.io/v1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "PartialObjectMetadata";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();
}
