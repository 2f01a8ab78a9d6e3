using k8s.Models;

namespace Timonel.Agent.Kubelet.Volumes;

/// <summary>The files of a downwardAPI volume or projection (upstream downwardapi.CollectData): one per item, from a fieldRef or a resourceFieldRef.</summary>
internal static class DownwardApiPayload
{
    public static Dictionary<string, FileProjection> Build(
        VolumeSetupContext context,
        IList<V1DownwardAPIVolumeFile>? items,
        int? defaultMode,
        IReadOnlyDictionary<string, ResourceQuantity> nodeAllocatable)
    {
        var mode = (UnixFileMode)(defaultMode ?? KeyToPathPayload.DefaultMode);
        var payload = new Dictionary<string, FileProjection>(StringComparer.Ordinal);
        foreach (var item in items ?? [])
        {
            string value;
            try
            {
                value = item.FieldRef is { } field ? PodFieldPath.Extract(context.Pod, field.FieldPath)
                    : item.ResourceFieldRef is { } resource ? ContainerResourceValue.Extract(context.Pod, resource, nodeAllocatable)
                    : "";
            }
            catch (ArgumentException e)
            {
                throw context.Failure(e.Message);
            }

            payload[item.Path] = new FileProjection(System.Text.Encoding.UTF8.GetBytes(value), item.Mode is { } itemMode ? (UnixFileMode)itemMode : mode);
        }

        return payload;
    }
}
