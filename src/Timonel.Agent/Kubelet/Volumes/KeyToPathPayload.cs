using k8s.Models;

namespace Timonel.Agent.Kubelet.Volumes;

/// <summary>
/// The files of a ConfigMap or Secret (upstream configmap.MakePayload, secret.MakePayload): every key as a file of
/// the default mode, or only the listed items at their paths and modes. A listed key that is missing fails the
/// volume unless it is optional.
/// </summary>
internal static class KeyToPathPayload
{
    /// <summary>0644, the defaultMode of ConfigMap, Secret, downwardAPI and projected volumes.</summary>
    public const int DefaultMode = 420;

    public static Dictionary<string, FileProjection> Build(
        VolumeSetupContext context,
        IReadOnlyDictionary<string, byte[]> data,
        IList<V1KeyToPath>? items,
        int? defaultMode,
        bool optional,
        string missingKeyMessage)
    {
        var mode = (UnixFileMode)(defaultMode ?? DefaultMode);
        var payload = new Dictionary<string, FileProjection>(StringComparer.Ordinal);
        if (items is not { Count: > 0 })
        {
            foreach (var (key, value) in data)
            {
                payload[key] = new FileProjection(value, mode);
            }

            return payload;
        }

        foreach (var item in items)
        {
            if (!data.TryGetValue(item.Key, out var value))
            {
                if (optional)
                {
                    continue;
                }

                throw context.Failure(missingKeyMessage + item.Key);
            }

            payload[item.Path] = new FileProjection(value, item.Mode is { } itemMode ? (UnixFileMode)itemMode : mode);
        }

        return payload;
    }
}
