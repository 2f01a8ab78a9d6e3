using k8s.Models;

namespace Timonel.Agent.Kubelet.Volumes;

/// <summary>A ConfigMap or Secret whose keys a volume (or a projection) shows as files.</summary>
/// <param name="Secret">A Secret rather than a ConfigMap.</param>
internal sealed record KeySource(bool Secret, string Name, IList<V1KeyToPath>? Items, bool Optional)
{
    public static KeySource Of(V1ConfigMapVolumeSource source) => new(false, source.Name, source.Items, source.Optional == true);

    public static KeySource Of(V1SecretVolumeSource source) => new(true, source.SecretName, source.Items, source.Optional == true);

    public static KeySource Of(V1ConfigMapProjection source) => new(false, source.Name, source.Items, source.Optional == true);

    public static KeySource Of(V1SecretProjection source) => new(true, source.Name, source.Items, source.Optional == true);

    /// <summary>The kubelet's message for an object it cannot find (its object cache names the resource in the singular).</summary>
    public string NotFound => $"{(Secret ? "secret" : "configmap")} \"{Name}\" not found";

    /// <summary>configmap.MakePayload's and secret.MakePayload's words for an item naming a key the object lacks.</summary>
    public string MissingKeyMessage => Secret ? "references non-existent secret key: " : "configmap references non-existent config key: ";
}
