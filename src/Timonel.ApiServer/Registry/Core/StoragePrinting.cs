using System.Text.Json;
using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>Cells shared by the volume and claim printers (pkg/apis/core/helper GetAccessModesAsString and friends).</summary>
public static class StoragePrinting
{
    // The beta annotation still wins over spec.storageClassName (v1.BetaStorageClassAnnotation).
    private const string BetaStorageClassAnnotation = "volume.beta.kubernetes.io/storage-class";

    /// <summary>"RWO,ROX,RWX,RWOP" in that fixed order, each once.</summary>
    public static string AccessModes(JsonArray? modes)
    {
        var present = Printing.TableCells.Strings(modes).ToHashSet(StringComparer.Ordinal);
        var shortNames = new List<string>();
        foreach (var (mode, shortName) in new[] { ("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP") })
        {
            if (present.Contains(mode))
            {
                shortNames.Add(shortName);
            }
        }

        return string.Join(',', shortNames);
    }

    /// <summary>The phase, or "Terminating" once deletion has started.</summary>
    public static string Phase(JsonObject obj) => obj.DeletionTimestamp() is not null ? "Terminating" : obj.StringAt("status", "phase") ?? "";

    /// <summary>GetPersistentVolumeClass / GetPersistentVolumeClaimClass.</summary>
    public static string StorageClass(JsonObject obj) =>
        obj.Annotations().TryGetValue(BetaStorageClassAnnotation, out var annotated) ? annotated : obj.StringAt("spec", "storageClassName") ?? "";

    /// <summary>A quantity as stored ("5Gi"); "0" when absent, as an unset resource.Quantity prints.</summary>
    public static string Quantity(JsonNode? quantity) => quantity switch
    {
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonValue value => value.ToJsonString(),
        _ => "0",
    };
}
