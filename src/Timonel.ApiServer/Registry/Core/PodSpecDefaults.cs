using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// The defaults of a pod spec, for pods and for the pod templates of workloads alike
/// (pkg/apis/core/v1/defaults.go SetDefaults_PodSpec and what it reaches: containers, probes, volumes).
/// What upstream applies to Pods only (SetDefaults_Pod) is in <see cref="PodDefaults"/>.
/// </summary>
public static class PodSpecDefaults
{
    public static void Apply(JsonObject spec)
    {
        ContainerDefaults.SetIfEmpty(spec, "dnsPolicy", "ClusterFirst");
        ContainerDefaults.SetIfEmpty(spec, "restartPolicy", "Always");
        spec.SetDefault("securityContext", new JsonObject());
        spec.SetDefault("terminationGracePeriodSeconds", 30);
        ContainerDefaults.SetIfEmpty(spec, "schedulerName", "default-scheduler");
        foreach (var list in new[] { "initContainers", "containers", "ephemeralContainers" })
        {
            foreach (var container in spec.ArrayAt(list).Objects())
            {
                ContainerDefaults.Apply(container);
            }
        }

        VolumeDefaults.Apply(spec.ArrayAt("volumes"));
        SyncServiceAccount(spec);
    }

    /// <summary>The defaults of the pod template at <c>spec.template</c> of a workload (or deeper, for CronJobs).</summary>
    public static void ApplyToTemplate(JsonObject? template)
    {
        if (template?.ObjectAt("spec") is { } spec)
        {
            Apply(spec);
        }
    }

    // The v1 conversion keeps the deprecated serviceAccount field equal to serviceAccountName, taking it as the
    // name when only the old field is given (Convert_v1_PodSpec_To_core_PodSpec and back).
    private static void SyncServiceAccount(JsonObject spec)
    {
        var name = spec.StringAt("serviceAccountName");
        if (string.IsNullOrEmpty(name))
        {
            name = spec.StringAt("serviceAccount");
            if (string.IsNullOrEmpty(name))
            {
                return;
            }

            spec["serviceAccountName"] = name;
        }

        spec["serviceAccount"] = name;
    }
}
