using System.Globalization;
using k8s;
using k8s.Models;
using Timonel.Client.Objects;
using Timonel.Controllers.ReplicaSet;

namespace Timonel.Controllers.DaemonSet;

/// <summary>
/// What a DaemonSet's pods look like and where they belong (upstream's pkg/controller/daemon/util and
/// NodeShouldRunDaemonPod): the template with the daemon tolerations and labels, the node a pod is meant for, and
/// whether a node should run one.
/// </summary>
internal static class DaemonPods
{
    /// <summary>apps/v1 DaemonSetTemplateGenerationKey: the template generation a pod was created from.</summary>
    public const string TemplateGenerationLabel = "pod-template-generation";

    /// <summary>apps/v1 DeprecatedTemplateGeneration, set by the API server on every DaemonSet.</summary>
    public const string TemplateGenerationAnnotation = "deprecated.daemonset.template.generation";

    /// <summary>metav1.ObjectNameField: the node field a daemon pod's affinity pins it to.</summary>
    private const string ObjectNameField = "metadata.name";

    // util.AddOrUpdateDaemonPodTolerations: daemons stay through node trouble (no tolerationSeconds on the NoExecute
    // ones) and run on cordoned or pressured nodes.
    private static readonly (string Key, string Effect)[] _defaultTolerations =
    [
        ("node.kubernetes.io/not-ready", "NoExecute"),
        ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/disk-pressure", "NoSchedule"),
        ("node.kubernetes.io/memory-pressure", "NoSchedule"),
        ("node.kubernetes.io/pid-pressure", "NoSchedule"),
        ("node.kubernetes.io/unschedulable", "NoSchedule"),
    ];

    /// <summary>util.GetTemplateGeneration: the annotation as a number, null when absent or not one.</summary>
    public static long? TemplateGeneration(V1DaemonSet ds) =>
        ds.Metadata.Annotations?.TryGetValue(TemplateGenerationAnnotation, out var value) == true
        && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var generation)
            ? generation
            : null;

    /// <summary>
    /// util.CreatePodTemplate: a copy of the template with the daemon tolerations, the pod-template-generation label
    /// (when the DaemonSet has a generation) and the controller-revision-hash label (when there is a hash).
    /// </summary>
    public static V1PodTemplateSpec PodTemplate(V1DaemonSet ds, string hash)
    {
        var template = KubernetesJson.Deserialize<V1PodTemplateSpec>(KubernetesJson.Serialize(ds.Spec.Template));
        template.Metadata ??= new V1ObjectMeta();
        template.Spec ??= new V1PodSpec { Containers = [] };
        AddDaemonTolerations(template.Spec);
        template.Metadata.Labels = template.Metadata.Labels is null
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : new Dictionary<string, string>(template.Metadata.Labels, StringComparer.Ordinal);
        if (TemplateGeneration(ds) is { } generation)
        {
            template.Metadata.Labels[TemplateGenerationLabel] = generation.ToString(CultureInfo.InvariantCulture);
        }

        if (hash.Length > 0)
        {
            template.Metadata.Labels[History.ControllerRevisions.HashLabel] = hash;
        }

        return template;
    }

    /// <summary>
    /// util.AddOrUpdateDaemonPodTolerations: each default toleration (Exists, no value) replaces one with the same key,
    /// operator, value and effect, or is added; network-unavailable too for host-network pods.
    /// </summary>
    public static void AddDaemonTolerations(V1PodSpec spec)
    {
        var tolerations = spec.Tolerations is null ? [] : new List<V1Toleration>(spec.Tolerations);
        IEnumerable<(string Key, string Effect)> defaults = spec.HostNetwork == true
            ? [.. _defaultTolerations, ("node.kubernetes.io/network-unavailable", "NoSchedule")]
            : _defaultTolerations;
        foreach (var (key, effect) in defaults)
        {
            var toleration = new V1Toleration { Key = key, OperatorProperty = "Exists", Effect = effect };
            var index = tolerations.FindIndex(t => t.Key == key && t.OperatorProperty == "Exists" && string.IsNullOrEmpty(t.Value) && t.Effect == effect);
            if (index >= 0)
            {
                tolerations[index] = toleration;
            }
            else
            {
                tolerations.Add(toleration);
            }
        }

        spec.Tolerations = tolerations;
    }

    /// <summary>
    /// util.ReplaceDaemonSetPodNodeNameNodeAffinity: the pod's required node affinity becomes the single term
    /// metadata.name In [node], so the scheduler places it there and nowhere else.
    /// </summary>
    public static V1Affinity PinToNode(V1Affinity? affinity, string nodeName)
    {
        var selector = new V1NodeSelector
        {
            NodeSelectorTerms = [new V1NodeSelectorTerm { MatchFields = [new V1NodeSelectorRequirement { Key = ObjectNameField, OperatorProperty = "In", Values = [nodeName] }] }],
        };
        affinity ??= new V1Affinity();
        affinity.NodeAffinity ??= new V1NodeAffinity();
        affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution = selector;
        return affinity;
    }

    /// <summary>
    /// util.GetTargetNodeName: the node a pod runs on, or before scheduling the one its affinity pins it to; null when
    /// neither says.
    /// </summary>
    public static string? TargetNodeName(V1Pod pod)
    {
        if (!string.IsNullOrEmpty(pod.Spec?.NodeName))
        {
            return pod.Spec.NodeName;
        }

        var terms = pod.Spec?.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution?.NodeSelectorTerms;
        foreach (var term in terms ?? [])
        {
            foreach (var field in term.MatchFields ?? [])
            {
                if (field.Key == ObjectNameField && field.OperatorProperty == "In" && field.Values?.Count == 1)
                {
                    return field.Values[0];
                }
            }
        }

        return null;
    }

    /// <summary>util.IsPodUpdated: the pod carries the current revision's hash, or the current template generation.</summary>
    public static bool IsUpdated(V1Pod pod, string hash, long? generation)
    {
        var labels = pod.Metadata.Labels;
        var templateMatches = generation is { } g && labels?.TryGetValue(TemplateGenerationLabel, out var podGeneration) == true
            && podGeneration == g.ToString(CultureInfo.InvariantCulture);
        var hashMatches = hash.Length > 0 && labels?.TryGetValue(History.ControllerRevisions.HashLabel, out var podHash) == true && podHash == hash;
        return hashMatches || templateMatches;
    }

    /// <summary>podutil.IsPodAvailable: ready, and for at least minReadySeconds.</summary>
    public static bool IsAvailable(V1Pod pod, int minReadySeconds, DateTime now) =>
        PodRanking.IsReady(pod)
        && (minReadySeconds == 0 || (PodRanking.ReadySince(pod) is { } since && since.AddSeconds(minReadySeconds) < now));

    /// <summary>
    /// NodeShouldRunDaemonPod: whether a new daemon pod belongs on the node (its nodeName if set, node selector and
    /// required node affinity, no NoSchedule or NoExecute taint its tolerations and the daemon ones leave), and
    /// whether one already there may stay (the same, except that only NoExecute taints drive it away).
    /// </summary>
    public static (bool ShouldRun, bool ShouldContinueRunning) ShouldRun(V1Node node, V1DaemonSet ds)
    {
        var spec = ds.Spec.Template.Spec;
        var nodeName = node.Metadata.Name;
        if (!string.IsNullOrEmpty(spec.NodeName) && spec.NodeName != nodeName)
        {
            return (false, false);
        }

        var required = spec.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution;
        if (!NodeSelectors.MatchesNodeSelector(spec.NodeSelector, node) || (required is not null && !NodeSelectors.MatchesAnyTerm(required.NodeSelectorTerms, node)))
        {
            return (false, false);
        }

        var taints = node.Spec?.Taints;
        if (taints is null || taints.Count == 0)
        {
            return (true, true);
        }

        var withDefaults = new V1PodSpec { Containers = [], Tolerations = spec.Tolerations, HostNetwork = spec.HostNetwork };
        AddDaemonTolerations(withDefaults);
        if (Tolerations.FindMatchingUntoleratedTaint(taints, withDefaults.Tolerations, t => t.Effect is "NoSchedule" or "NoExecute") is null)
        {
            return (true, true);
        }

        return (false, Tolerations.FindMatchingUntoleratedTaint(taints, withDefaults.Tolerations, t => t.Effect == "NoExecute") is null);
    }

    /// <summary>podByCreationTimestampAndPhase: scheduled pods first, then oldest first, then by name.</summary>
    public static int OldestScheduledFirst(V1Pod x, V1Pod y)
    {
        var scheduled = string.IsNullOrEmpty(x.Spec?.NodeName).CompareTo(string.IsNullOrEmpty(y.Spec?.NodeName));
        if (scheduled != 0)
        {
            return scheduled;
        }

        var created = (x.Metadata.CreationTimestamp ?? DateTime.MinValue).CompareTo(y.Metadata.CreationTimestamp ?? DateTime.MinValue);
        return created != 0 ? created : string.CompareOrdinal(x.Metadata.Name, y.Metadata.Name);
    }
}
