using System.Globalization;
using k8s.Models;

namespace Timonel.Controllers.Disruption;

/// <summary>
/// The arithmetic and the condition of a PodDisruptionBudget's status, as upstream computes them
/// (pkg/controller/disruption/disruption.go; the condition from k8s.io/component-helpers/apps/poddisruptionbudget).
/// </summary>
internal static class BudgetStatus
{
    /// <summary>policy/v1 DisruptionAllowedCondition.</summary>
    public const string DisruptionAllowed = "DisruptionAllowed";

    /// <summary>policy/v1 SufficientPodsReason, InsufficientPodsReason and SyncFailedReason.</summary>
    public const string SufficientPods = "SufficientPods";

    public const string InsufficientPods = "InsufficientPods";

    public const string SyncFailed = "SyncFailed";

    /// <summary>
    /// intstr.GetScaledValueFromIntOrPercent rounding up, as the controller calls it for both minAvailable and
    /// maxUnavailable: an integer as is, "N%" as ceil(N * total / 100).
    /// </summary>
    public static int Scaled(IntOrString value, int total)
    {
        var text = value.Value ?? "";
        if (!text.EndsWith('%'))
        {
            return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
                ? number
                : throw new FormatException($"invalid value for IntOrString: invalid type: string is not a percentage");
        }

        return int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var percent)
            ? (int)Math.Ceiling(percent * (double)total / 100)
            : throw new FormatException($"invalid value for IntOrString: invalid value \"{text}\"");
    }

    public static bool IsPercent(IntOrString value) => value.Value?.EndsWith('%') == true;

    /// <summary>apipod.IsPodReady: the Ready condition is True.</summary>
    public static bool IsReady(V1Pod pod) => pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    /// <summary>pdbhelper.ConditionsAreUpToDate: DisruptionAllowed says what disruptionsAllowed says, for this generation.</summary>
    public static bool ConditionsAreUpToDate(V1PodDisruptionBudget pdb)
    {
        var condition = pdb.Status?.Conditions?.FirstOrDefault(c => c.Type == DisruptionAllowed);
        if (condition is null || pdb.Status!.ObservedGeneration != pdb.Metadata.Generation)
        {
            return false;
        }

        return pdb.Status.DisruptionsAllowed > 0
            ? condition.Status == "True" && condition.Reason == SufficientPods
            : condition.Status == "False" && condition.Reason == InsufficientPods;
    }

    /// <summary>
    /// apimeta.SetStatusCondition on a copy of <paramref name="conditions"/>: the transition time moves only when the
    /// status changes; reason, message and observedGeneration are always set.
    /// </summary>
    public static List<V1Condition> WithCondition(IEnumerable<V1Condition>? conditions, string status, string reason, string message, long? observedGeneration, DateTime now)
    {
        var result = (conditions ?? []).Select(Copy).ToList();
        var existing = result.FirstOrDefault(c => c.Type == DisruptionAllowed);
        if (existing is null)
        {
            result.Add(new V1Condition { Type = DisruptionAllowed, Status = status, Reason = reason, Message = message, ObservedGeneration = observedGeneration, LastTransitionTime = now });
            return result;
        }

        if (existing.Status != status)
        {
            existing.Status = status;
            existing.LastTransitionTime = now;
        }

        existing.Reason = reason;
        existing.Message = message;
        existing.ObservedGeneration = observedGeneration;
        return result;
    }

    private static V1Condition Copy(V1Condition c) => new()
    {
        Type = c.Type,
        Status = c.Status,
        Reason = c.Reason,
        Message = c.Message,
        ObservedGeneration = c.ObservedGeneration,
        LastTransitionTime = c.LastTransitionTime,
    };
}
