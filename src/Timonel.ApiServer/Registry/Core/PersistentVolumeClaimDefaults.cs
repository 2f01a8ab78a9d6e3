using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// The defaults of a claim, shared by PersistentVolumeClaims, StatefulSet volumeClaimTemplates and ephemeral
/// volumes (pkg/apis/core/v1/defaults.go SetDefaults_PersistentVolumeClaim/-Spec).
/// </summary>
public static class PersistentVolumeClaimDefaults
{
    /// <summary>The whole claim: spec defaults, and a claim without a phase is Pending.</summary>
    public static void Apply(JsonObject claim)
    {
        ApplySpec(claim.Child("spec"));
        var status = claim.Child("status");
        ContainerDefaults.SetIfEmpty(status, "phase", "Pending");
    }

    public static void ApplySpec(JsonObject spec) => ContainerDefaults.SetIfEmpty(spec, "volumeMode", "Filesystem");
}
