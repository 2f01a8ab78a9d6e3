using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Admission;

/// <summary>How a claim names its storage class and a class says it is the default (pkg/apis/core/helper, storage/util).</summary>
internal static class StorageClassNames
{
    // v1.BetaStorageClassAnnotation, the class a claim named before spec.storageClassName existed.
    public const string BetaClassAnnotation = "volume.beta.kubernetes.io/storage-class";
    public const string DefaultClassAnnotation = "storageclass.kubernetes.io/is-default-class";
    public const string BetaDefaultClassAnnotation = "storageclass.beta.kubernetes.io/is-default-class";

    /// <summary>PersistentVolumeClaimHasClass: the annotation, or spec.storageClassName even if "" (no class, on purpose).</summary>
    public static bool HasClass(JsonObject claim) =>
        claim.StringAt("metadata", "annotations", BetaClassAnnotation) is not null || claim.At("spec", "storageClassName") is JsonValue;

    /// <summary>GetPersistentVolumeClaimClass: the annotation first, then spec.storageClassName; "" for none.</summary>
    public static string ClassOf(JsonObject claim) =>
        claim.StringAt("metadata", "annotations", BetaClassAnnotation) ?? claim.StringAt("spec", "storageClassName") ?? "";

    /// <summary>IsDefaultAnnotation: either annotation set to "true".</summary>
    public static bool IsDefault(JsonObject storageClass) =>
        storageClass.StringAt("metadata", "annotations", DefaultClassAnnotation) == "true"
        || storageClass.StringAt("metadata", "annotations", BetaDefaultClassAnnotation) == "true";
}
