using System.Globalization;
using k8s;
using k8s.Models;

namespace Timonel.Controllers.Deployment;

/// <summary>
/// The arithmetic and bookkeeping of rollouts, as upstream's pkg/controller/deployment/util/deployment_util.go has
/// them (names kept): surge and unavailability fenceposts, the new ReplicaSet's next size, proportions for scaling
/// mid-rollout, the annotations kept on ReplicaSets, and which ReplicaSet is new or old. Pure functions: the
/// controller decides and writes.
/// </summary>
internal static class DeploymentUtil
{
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";
    public const string RevisionHistoryAnnotation = "deployment.kubernetes.io/revision-history";
    public const string DesiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas";
    public const string MaxReplicasAnnotation = "deployment.kubernetes.io/max-replicas";
    public const string LastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration";
    public const string DeprecatedRollbackTo = "deprecated.deployment.rollback.to";

    /// <summary>apps.DefaultDeploymentUniqueLabelKey.</summary>
    public const string PodTemplateHashLabel = "pod-template-hash";

    /// <summary>Upstream's cap on the revision-history annotation (maxRevHistoryLengthInChars in sync.go).</summary>
    public const int MaxRevisionHistoryLength = 2000;

    /// <summary>Annotations a Deployment never copies to its ReplicaSets (annotationsToSkip).</summary>
    private static readonly HashSet<string> _annotationsToSkip = new(StringComparer.Ordinal)
    {
        LastAppliedAnnotation, RevisionAnnotation, RevisionHistoryAnnotation, DesiredReplicasAnnotation, MaxReplicasAnnotation, DeprecatedRollbackTo,
    };

    public static int Replicas(V1Deployment d) => d.Spec.Replicas ?? 1;

    public static int Replicas(V1ReplicaSet rs) => rs.Spec.Replicas ?? 1;

    public static bool IsRollingUpdate(V1Deployment d) => d.Spec.Strategy?.Type is null or "RollingUpdate";

    /// <summary>intstr.GetScaledValueFromIntOrPercent: an int as is, "N%" of total rounded up or down.</summary>
    public static int ScaledValue(IntOrString? value, int total, bool roundUp)
    {
        var text = value?.Value;
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        if (!text.EndsWith('%'))
        {
            return int.Parse(text, CultureInfo.InvariantCulture);
        }

        var percent = int.Parse(text[..^1], CultureInfo.InvariantCulture);
        var scaled = (double)percent * total / 100;
        return (int)(roundUp ? Math.Ceiling(scaled) : Math.Floor(scaled));
    }

    /// <summary>
    /// ResolveFenceposts: surge rounds up, unavailable down; when both come out zero unavailability is 1, in case
    /// surging is impossible (quota).
    /// </summary>
    public static (int Surge, int Unavailable) ResolveFenceposts(IntOrString? maxSurge, IntOrString? maxUnavailable, int desired)
    {
        var surge = ScaledValue(maxSurge, desired, roundUp: true);
        var unavailable = ScaledValue(maxUnavailable, desired, roundUp: false);
        return surge == 0 && unavailable == 0 ? (0, 1) : (surge, unavailable);
    }

    public static int MaxSurge(V1Deployment d) =>
        IsRollingUpdate(d) ? ResolveFenceposts(d.Spec.Strategy?.RollingUpdate?.MaxSurge, d.Spec.Strategy?.RollingUpdate?.MaxUnavailable, Replicas(d)).Surge : 0;

    /// <summary>MaxUnavailable: never more than spec.replicas, zero for Recreate or no replicas.</summary>
    public static int MaxUnavailable(V1Deployment d)
    {
        if (!IsRollingUpdate(d) || Replicas(d) == 0)
        {
            return 0;
        }

        var unavailable = ResolveFenceposts(d.Spec.Strategy?.RollingUpdate?.MaxSurge, d.Spec.Strategy?.RollingUpdate?.MaxUnavailable, Replicas(d)).Unavailable;
        return Math.Min(unavailable, Replicas(d));
    }

    /// <summary>NewRSNewReplicas: how far the new ReplicaSet may grow now, within replicas + maxSurge in all.</summary>
    public static int NewRsNewReplicas(V1Deployment d, IEnumerable<V1ReplicaSet> allRss, V1ReplicaSet newRs)
    {
        if (!IsRollingUpdate(d))
        {
            return Replicas(d);
        }

        var maxTotal = Replicas(d) + ScaledValue(d.Spec.Strategy?.RollingUpdate?.MaxSurge, Replicas(d), roundUp: true);
        var current = ReplicaCount(allRss);
        if (current >= maxTotal)
        {
            return Replicas(newRs);
        }

        return Replicas(newRs) + Math.Min(maxTotal - current, Replicas(d) - Replicas(newRs));
    }

    /// <summary>GetReplicaCountForReplicaSets: the sum of spec.replicas.</summary>
    public static int ReplicaCount(IEnumerable<V1ReplicaSet?> rss) => rss.Sum(rs => rs is null ? 0 : Replicas(rs));

    /// <summary>GetActualReplicaCountForReplicaSets: the sum of status.replicas.</summary>
    public static int ActualReplicaCount(IEnumerable<V1ReplicaSet?> rss) => rss.Sum(rs => rs?.Status?.Replicas ?? 0);

    public static int ReadyReplicaCount(IEnumerable<V1ReplicaSet?> rss) => rss.Sum(rs => rs?.Status?.ReadyReplicas ?? 0);

    public static int AvailableReplicaCount(IEnumerable<V1ReplicaSet?> rss) => rss.Sum(rs => rs?.Status?.AvailableReplicas ?? 0);

    /// <summary>controller.FilterActiveReplicaSets: those with spec.replicas above zero.</summary>
    public static List<V1ReplicaSet> Active(IEnumerable<V1ReplicaSet?> rss) => [.. rss.OfType<V1ReplicaSet>().Where(rs => Replicas(rs) > 0)];

    /// <summary>
    /// GetProportion: the share of a scale change this ReplicaSet takes, from its size against the Deployment's
    /// size when it was last scaled (the max-replicas annotation), never beyond what is still left to hand out.
    /// </summary>
    public static int GetProportion(V1ReplicaSet? rs, V1Deployment d, int toAdd, int added)
    {
        if (rs is null || Replicas(rs) == 0 || toAdd == 0 || toAdd == added)
        {
            return 0;
        }

        var fraction = ReplicaSetFraction(rs, d);
        var allowed = toAdd - added;
        return toAdd > 0 ? Math.Min(fraction, allowed) : Math.Max(fraction, allowed);
    }

    private static int ReplicaSetFraction(V1ReplicaSet rs, V1Deployment d)
    {
        if (Replicas(d) == 0)
        {
            return -Replicas(rs);
        }

        var maxReplicas = Replicas(d) + MaxSurge(d);
        var before = IntAnnotation(rs, MaxReplicasAnnotation);
        if (before is null or 0)
        {
            before = d.Status?.Replicas ?? 0;
            if (before == 0)
            {
                return 0;
            }
        }

        // integer.RoundToInt32 is math.Round: halves away from zero.
        var size = (double)Replicas(rs) * maxReplicas / before.Value;
        return (int)Math.Round(size, MidpointRounding.AwayFromZero) - Replicas(rs);
    }

    public static int? IntAnnotation(V1ReplicaSet rs, string name) =>
        rs.Metadata.Annotations?.TryGetValue(name, out var text) == true && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    public static long Revision(V1ReplicaSet rs) =>
        rs.Metadata.Annotations?.TryGetValue(RevisionAnnotation, out var text) == true && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;

    public static long MaxRevision(IEnumerable<V1ReplicaSet> rss) => rss.Select(Revision).DefaultIfEmpty(0).Max();

    /// <summary>IsSaturated: the new ReplicaSet has all the replicas, wanted for this size, all available.</summary>
    public static bool IsSaturated(V1Deployment d, V1ReplicaSet? rs) =>
        rs is not null && Replicas(rs) == Replicas(d) && IntAnnotation(rs, DesiredReplicasAnnotation) == Replicas(d) && (rs.Status?.AvailableReplicas ?? 0) == Replicas(d);

    /// <summary>FindActiveOrLatest: the only active ReplicaSet, or the newest when none is active; null when several are.</summary>
    public static V1ReplicaSet? FindActiveOrLatest(V1ReplicaSet? newRs, List<V1ReplicaSet> oldRss)
    {
        if (newRs is null && oldRss.Count == 0)
        {
            return null;
        }

        var newestFirst = oldRss.OrderByDescending(rs => rs, ByCreation.Instance).ToList();
        var active = Active(newestFirst.Append(newRs));
        return active.Count switch
        {
            0 => newRs ?? newestFirst[0],
            1 => active[0],
            _ => null,
        };
    }

    /// <summary>EqualIgnoreHash: the templates equal once the pod-template-hash label is taken out of both.</summary>
    public static bool EqualIgnoreHash(V1PodTemplateSpec? a, V1PodTemplateSpec? b)
    {
        static string Normalized(V1PodTemplateSpec? t)
        {
            var copy = KubernetesJson.Deserialize<V1PodTemplateSpec>(KubernetesJson.Serialize(t ?? new V1PodTemplateSpec()));
            copy.Metadata ??= new V1ObjectMeta();
            copy.Metadata.Labels?.Remove(PodTemplateHashLabel);
            if (copy.Metadata.Labels is { Count: 0 })
            {
                copy.Metadata.Labels = null;
            }

            return PodTemplateHash.CanonicalJson(copy, dropEmpty: true);
        }

        return Normalized(a) == Normalized(b);
    }

    /// <summary>FindNewReplicaSet: the oldest ReplicaSet whose template is the Deployment's.</summary>
    public static V1ReplicaSet? FindNewReplicaSet(V1Deployment d, IEnumerable<V1ReplicaSet> rss) =>
        rss.Order(ByCreation.Instance).FirstOrDefault(rs => EqualIgnoreHash(rs.Spec.Template, d.Spec.Template));

    /// <summary>FindOldReplicaSets (its second result): every ReplicaSet but the new one.</summary>
    public static List<V1ReplicaSet> FindOldReplicaSets(V1Deployment d, IEnumerable<V1ReplicaSet> rss)
    {
        var newRs = FindNewReplicaSet(d, rss);
        return [.. rss.Where(rs => newRs is null || rs.Metadata.Uid != newRs.Metadata.Uid)];
    }

    /// <summary>SetReplicasAnnotations: desired-replicas and max-replicas; true when either changed.</summary>
    public static bool SetReplicasAnnotations(V1ReplicaSet rs, int desired, int max)
    {
        rs.Metadata.Annotations ??= new Dictionary<string, string>(StringComparer.Ordinal);
        var changed = false;
        foreach (var (name, value) in new[] { (DesiredReplicasAnnotation, desired), (MaxReplicasAnnotation, max) })
        {
            var text = value.ToString(CultureInfo.InvariantCulture);
            if (!rs.Metadata.Annotations.TryGetValue(name, out var old) || old != text)
            {
                rs.Metadata.Annotations[name] = text;
                changed = true;
            }
        }

        return changed;
    }

    public static bool ReplicasAnnotationsNeedUpdate(V1ReplicaSet rs, int desired, int max) =>
        rs.Metadata.Annotations?.TryGetValue(DesiredReplicasAnnotation, out var d) != true || d != desired.ToString(CultureInfo.InvariantCulture)
        || rs.Metadata.Annotations?.TryGetValue(MaxReplicasAnnotation, out var m) != true || m != max.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// SetNewReplicaSetAnnotations: the Deployment's annotations (but the skipped ones), a revision raised to
    /// <paramref name="newRevision"/> (the previous one kept in revision-history when this ReplicaSet is brought
    /// back, i.e. a rollback), and for a ReplicaSet about to be created the replicas annotations.
    /// </summary>
    public static bool SetNewReplicaSetAnnotations(V1Deployment d, V1ReplicaSet rs, string newRevision, bool exists)
    {
        var changed = CopyDeploymentAnnotations(d, rs);
        rs.Metadata.Annotations ??= new Dictionary<string, string>(StringComparer.Ordinal);
        var hadRevision = rs.Metadata.Annotations.TryGetValue(RevisionAnnotation, out var oldRevision);
        long oldValue = 0;
        if (!string.IsNullOrEmpty(oldRevision) && !long.TryParse(oldRevision, NumberStyles.Integer, CultureInfo.InvariantCulture, out oldValue))
        {
            return false;
        }

        if (!long.TryParse(newRevision, NumberStyles.Integer, CultureInfo.InvariantCulture, out var newValue))
        {
            return false;
        }

        if (oldValue < newValue)
        {
            rs.Metadata.Annotations[RevisionAnnotation] = newRevision;
            changed = true;
        }

        if (hadRevision && oldValue < newValue)
        {
            var history = rs.Metadata.Annotations.TryGetValue(RevisionHistoryAnnotation, out var h) ? h : "";
            var revisions = history.Split(',');
            if (revisions[0].Length == 0)
            {
                rs.Metadata.Annotations[RevisionHistoryAnnotation] = oldRevision!;
            }
            else
            {
                var total = history.Length + oldRevision!.Length + 1;
                var start = 0;
                while (total > MaxRevisionHistoryLength && start < revisions.Length)
                {
                    total -= revisions[start].Length + 1;
                    start++;
                }

                if (total <= MaxRevisionHistoryLength)
                {
                    rs.Metadata.Annotations[RevisionHistoryAnnotation] = string.Join(',', revisions[start..].Append(oldRevision));
                }
            }
        }

        if (!exists && SetReplicasAnnotations(rs, Replicas(d), Replicas(d) + MaxSurge(d)))
        {
            changed = true;
        }

        return changed;
    }

    private static bool CopyDeploymentAnnotations(V1Deployment d, V1ReplicaSet rs)
    {
        var changed = false;
        rs.Metadata.Annotations ??= new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in d.Metadata.Annotations ?? new Dictionary<string, string>())
        {
            if (_annotationsToSkip.Contains(key) || (rs.Metadata.Annotations.TryGetValue(key, out var existing) && existing == value))
            {
                continue;
            }

            rs.Metadata.Annotations[key] = value;
            changed = true;
        }

        return changed;
    }

    /// <summary>SetDeploymentRevision: true when the Deployment's revision annotation changed.</summary>
    public static bool SetDeploymentRevision(V1Deployment d, string? revision)
    {
        d.Metadata.Annotations ??= new Dictionary<string, string>(StringComparer.Ordinal);
        if (d.Metadata.Annotations.TryGetValue(RevisionAnnotation, out var current) && current == revision)
        {
            return false;
        }

        d.Metadata.Annotations[RevisionAnnotation] = revision ?? "";
        return true;
    }

    /// <summary>HasProgressDeadline: set and not MaxInt32 (the value that means none).</summary>
    public static bool HasProgressDeadline(V1Deployment d) => d.Spec.ProgressDeadlineSeconds is { } s && s != int.MaxValue;

    public static bool HasRevisionHistoryLimit(V1Deployment d) => d.Spec.RevisionHistoryLimit is { } l && l != int.MaxValue;

    /// <summary>DeploymentComplete: all replicas updated and available, and the latest spec observed.</summary>
    public static bool DeploymentComplete(V1Deployment d, V1DeploymentStatus status) =>
        (status.UpdatedReplicas ?? 0) == Replicas(d) && (status.Replicas ?? 0) == Replicas(d) && (status.AvailableReplicas ?? 0) == Replicas(d)
        && (status.ObservedGeneration ?? 0) >= (d.Metadata.Generation ?? 0);

    /// <summary>DeploymentProgressing: more updated, fewer old, more ready or more available than last reported.</summary>
    public static bool DeploymentProgressing(V1Deployment d, V1DeploymentStatus status)
    {
        var old = d.Status ?? new V1DeploymentStatus();
        var oldOld = (old.Replicas ?? 0) - (old.UpdatedReplicas ?? 0);
        var newOld = (status.Replicas ?? 0) - (status.UpdatedReplicas ?? 0);
        return (status.UpdatedReplicas ?? 0) > (old.UpdatedReplicas ?? 0) || newOld < oldOld
            || (status.ReadyReplicas ?? 0) > (old.ReadyReplicas ?? 0) || (status.AvailableReplicas ?? 0) > (old.AvailableReplicas ?? 0);
    }

    /// <summary>DeploymentTimedOut: the Progressing condition was last updated more than progressDeadlineSeconds ago.</summary>
    public static bool DeploymentTimedOut(V1Deployment d, V1DeploymentStatus status, DateTime now)
    {
        if (!HasProgressDeadline(d) || DeploymentConditions.Get(status, DeploymentConditions.Progressing) is not { } condition)
        {
            return false;
        }

        if (condition.Reason == DeploymentConditions.NewRsAvailableReason)
        {
            return false;
        }

        if (condition.Reason == DeploymentConditions.TimedOutReason)
        {
            return true;
        }

        var from = condition.LastUpdateTime ?? DateTime.MinValue;
        return from.AddSeconds(d.Spec.ProgressDeadlineSeconds!.Value) < now;
    }
}
