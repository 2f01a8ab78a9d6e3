using System.Globalization;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;

namespace Timonel.Controllers.StatefulSet;

/// <summary>
/// A StatefulSet's pods and claims as upstream names, builds and judges them (pkg/controller/statefulset/
/// stateful_set_utils.go): <c>set-ordinal</c> pods with a stable identity (pod-name and pod-index labels, hostname,
/// subdomain), <c>claim-set-ordinal</c> claims from the volumeClaimTemplates, and the pod states the controller waits on.
/// </summary>
internal static partial class StatefulPods
{
    /// <summary>apps/v1 StatefulSetPodNameLabel.</summary>
    public const string PodNameLabel = "statefulset.kubernetes.io/pod-name";

    /// <summary>apps/v1 PodIndexLabel (feature PodIndexLabel, on by default since 1.28).</summary>
    public const string PodIndexLabel = "apps.kubernetes.io/pod-index";

    /// <summary>apps/v1 StatefulSetRevisionLabel (= ControllerRevisionHashLabelKey).</summary>
    public const string RevisionLabel = "controller-revision-hash";

    public const string Retain = "Retain";
    public const string Delete = "Delete";

    /// <summary>The parent's name and the ordinal of a pod named <c>parent-ordinal</c>; ("", -1) otherwise (getParentNameAndOrdinal).</summary>
    public static (string Parent, int Ordinal) ParentAndOrdinal(string? podName)
    {
        var match = podName is null ? null : StatefulPodName().Match(podName);
        if (match is null || !match.Success)
        {
            return ("", -1);
        }

        return (match.Groups[1].Value, int.TryParse(match.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var ordinal) ? ordinal : -1);
    }

    public static int Ordinal(V1Pod pod) => ParentAndOrdinal(pod.Metadata.Name).Ordinal;

    public static bool IsMemberOf(V1StatefulSet set, V1Pod pod) => ParentAndOrdinal(pod.Metadata.Name).Parent == set.Metadata.Name;

    /// <summary>spec.ordinals.start, 0 when unset (getStartOrdinal).</summary>
    public static int StartOrdinal(V1StatefulSet set) => set.Spec.Ordinals?.Start ?? 0;

    public static int Replicas(V1StatefulSet set) => set.Spec.Replicas ?? 1;

    /// <summary>The last ordinal kept, inclusive (getEndOrdinal).</summary>
    public static int EndOrdinal(V1StatefulSet set) => StartOrdinal(set) + Replicas(set) - 1;

    public static bool InOrdinalRange(V1StatefulSet set, V1Pod pod) =>
        Ordinal(pod) is var ordinal && ordinal >= StartOrdinal(set) && ordinal <= EndOrdinal(set);

    public static string PodName(V1StatefulSet set, int ordinal) => $"{set.Metadata.Name}-{ordinal.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>getPersistentVolumeClaimName.</summary>
    public static string ClaimName(V1StatefulSet set, V1PersistentVolumeClaim template, int ordinal) =>
        $"{template.Metadata?.Name}-{set.Metadata.Name}-{ordinal.ToString(CultureInfo.InvariantCulture)}";

    public static string Revision(V1Pod pod) => pod.Metadata.Labels?.TryGetValue(RevisionLabel, out var revision) == true ? revision : "";

    /// <summary>identityMatches: the name, namespace and pod-name label a member at its ordinal has.</summary>
    public static bool IdentityMatches(V1StatefulSet set, V1Pod pod)
    {
        var (parent, ordinal) = ParentAndOrdinal(pod.Metadata.Name);
        return ordinal >= 0
            && parent == set.Metadata.Name
            && pod.Metadata.Name == PodName(set, ordinal)
            && pod.Metadata.NamespaceProperty == set.Metadata.NamespaceProperty
            && pod.Metadata.Labels?.TryGetValue(PodNameLabel, out var name) == true && name == pod.Metadata.Name;
    }

    /// <summary>storageMatches: every claim template is a volume of the pod, pointing at the pod's claim.</summary>
    public static bool StorageMatches(V1StatefulSet set, V1Pod pod)
    {
        var ordinal = Ordinal(pod);
        if (ordinal < 0)
        {
            return false;
        }

        var volumes = (pod.Spec?.Volumes ?? []).GroupBy(v => v.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return (set.Spec.VolumeClaimTemplates ?? []).All(template =>
            volumes.TryGetValue(template.Metadata?.Name ?? "", out var volume)
            && volume.PersistentVolumeClaim?.ClaimName == ClaimName(set, template, ordinal));
    }

    /// <summary>
    /// The claims of the pod at <paramref name="ordinal"/>, by template name (getPersistentVolumeClaims): each template
    /// renamed, in the set's namespace, its labels completed with the selector's matchLabels.
    /// </summary>
    public static List<(string Template, V1PersistentVolumeClaim Claim)> Claims(V1StatefulSet set, int ordinal)
    {
        var claims = new List<(string, V1PersistentVolumeClaim)>();
        foreach (var template in set.Spec.VolumeClaimTemplates ?? [])
        {
            var claim = KubernetesJson.Deserialize<V1PersistentVolumeClaim>(KubernetesJson.Serialize(template));
            claim.ApiVersion = "v1";
            claim.Kind = "PersistentVolumeClaim";
            claim.Metadata ??= new V1ObjectMeta();
            claim.Metadata.Name = ClaimName(set, template, ordinal);
            claim.Metadata.NamespaceProperty = set.Metadata.NamespaceProperty;
            var labels = claim.Metadata.Labels ?? new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in set.Spec.Selector?.MatchLabels ?? new Dictionary<string, string>())
            {
                labels[key] = value;
            }

            claim.Metadata.Labels = labels;
            claim.Status = null;
            claims.Add((template.Metadata?.Name ?? "", claim));
        }

        return claims;
    }

    /// <summary>
    /// A new pod for <paramref name="ordinal"/> (newStatefulSetPod): the template as GetPodFromTemplate copies it, owned
    /// by the set, with its identity (initIdentity: also hostname and subdomain, set only at creation) and storage.
    /// </summary>
    public static V1Pod NewPod(V1StatefulSet set, V1OwnerReference controllerReference, int ordinal)
    {
        var pod = PodControl.FromTemplate(set.Spec.Template, set.Metadata.Name, controllerReference);
        pod.Metadata.GenerateName = null;
        pod.Metadata.Name = PodName(set, ordinal);
        pod.Metadata.NamespaceProperty = set.Metadata.NamespaceProperty;
        UpdateIdentity(set, pod);
        pod.Spec.Hostname = pod.Metadata.Name;
        pod.Spec.Subdomain = set.Spec.ServiceName;
        UpdateStorage(set, pod);
        return pod;
    }

    /// <summary>updateIdentity: name, namespace, the pod-name and pod-index labels.</summary>
    public static void UpdateIdentity(V1StatefulSet set, V1Pod pod)
    {
        var ordinal = Ordinal(pod);
        pod.Metadata.Name = PodName(set, ordinal);
        pod.Metadata.NamespaceProperty = set.Metadata.NamespaceProperty;
        pod.Metadata.Labels ??= new Dictionary<string, string>(StringComparer.Ordinal);
        pod.Metadata.Labels[PodNameLabel] = pod.Metadata.Name;
        pod.Metadata.Labels[PodIndexLabel] = ordinal.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>updateStorage: a volume per claim template pointing at the pod's claim, replacing a volume of that name.</summary>
    public static void UpdateStorage(V1StatefulSet set, V1Pod pod)
    {
        var claims = Claims(set, Ordinal(pod));
        var names = claims.Select(c => c.Template).ToHashSet(StringComparer.Ordinal);
        List<V1Volume> volumes =
        [
            .. claims.Select(c => new V1Volume
            {
                Name = c.Template,
                PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = c.Claim.Metadata.Name, ReadOnlyProperty = false },
            }),
            .. (pod.Spec.Volumes ?? []).Where(v => !names.Contains(v.Name)),
        ];
        pod.Spec.Volumes = volumes;
    }

    /// <summary>isCreated: the API server has it (it has a phase).</summary>
    public static bool IsCreated(V1Pod pod) => !string.IsNullOrEmpty(pod.Status?.Phase);

    public static bool IsPending(V1Pod pod) => pod.Status?.Phase == "Pending";

    public static bool IsFailed(V1Pod pod) => pod.Status?.Phase == "Failed";

    public static bool IsSucceeded(V1Pod pod) => pod.Status?.Phase == "Succeeded";

    public static bool IsTerminating(V1Pod pod) => pod.Metadata.DeletionTimestamp is not null;

    /// <summary>isRunningAndReady: phase Running and the Ready condition True.</summary>
    public static bool IsRunningAndReady(V1Pod pod) => pod.Status?.Phase == "Running" && ReadyCondition(pod)?.Status == "True";

    /// <summary>isRunningAndAvailable (podutil.IsPodAvailable): ready, for minReadySeconds when set.</summary>
    public static bool IsRunningAndAvailable(V1Pod pod, int minReadySeconds, DateTime now)
    {
        var ready = ReadyCondition(pod);
        if (ready?.Status != "True")
        {
            return false;
        }

        return minReadySeconds == 0
            || (ready.LastTransitionTime is { } since && since.AddSeconds(minReadySeconds) < now);
    }

    /// <summary>isUnavailable: not available, or being deleted.</summary>
    public static bool IsUnavailable(V1Pod pod, int minReadySeconds, DateTime now) =>
        !IsRunningAndAvailable(pod, minReadySeconds, now) || IsTerminating(pod);

    public static DateTime? ReadySince(V1Pod pod) => ReadyCondition(pod)?.LastTransitionTime;

    private static V1PodCondition? ReadyCondition(V1Pod pod) => pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");

    // upstream's statefulPodRegex.
    [GeneratedRegex("^(.*)-([0-9]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex StatefulPodName();
}
