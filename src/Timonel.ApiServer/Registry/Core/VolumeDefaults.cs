using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// The defaults of pod volumes, after pkg/apis/core/v1/defaults.go: SetDefaults_Volume (no source means emptyDir),
/// the 0644 default modes of secret/configMap/downwardAPI/projected sources, SetDefaults_HostPathVolumeSource,
/// SetDefaults_ServiceAccountTokenProjection and the claim template of ephemeral volumes.
/// </summary>
public static class VolumeDefaults
{
    // v1.SecretVolumeSourceDefaultMode and friends: 0644.
    private const int DefaultMode = 420;

    public static void Apply(JsonArray? volumes)
    {
        foreach (var volume in volumes.Objects())
        {
            if (volume.All(p => p.Key == "name" || p.Value is null))
            {
                volume["emptyDir"] = new JsonObject();
            }

            if (volume.ObjectAt("secret") is { } secret)
            {
                secret.SetDefault("defaultMode", DefaultMode);
            }

            if (volume.ObjectAt("configMap") is { } configMap)
            {
                configMap.SetDefault("defaultMode", DefaultMode);
            }

            if (volume.ObjectAt("downwardAPI") is { } downwardApi)
            {
                downwardApi.SetDefault("defaultMode", DefaultMode);
                DownwardApiItems(downwardApi);
            }

            if (volume.ObjectAt("projected") is { } projected)
            {
                projected.SetDefault("defaultMode", DefaultMode);
                foreach (var source in projected.ArrayAt("sources").Objects())
                {
                    source.ObjectAt("serviceAccountToken")?.SetDefault("expirationSeconds", 3600);
                    DownwardApiItems(source.ObjectAt("downwardAPI"));
                }
            }

            if (volume.ObjectAt("hostPath") is { } hostPath)
            {
                // HostPathUnset is the empty string, set explicitly.
                hostPath.SetDefault("type", "");
            }

            if (volume.ObjectAt("ephemeral", "volumeClaimTemplate", "spec") is { } claimSpec)
            {
                PersistentVolumeClaimDefaults.ApplySpec(claimSpec);
            }
        }
    }

    private static void DownwardApiItems(JsonObject? downwardApi)
    {
        foreach (var item in downwardApi.ArrayAt("items").Objects())
        {
            ContainerDefaults.FieldSelector(item.ObjectAt("fieldRef"));
        }
    }
}
