using k8s.Models;

namespace Timonel.Client.Objects;

/// <summary>Whether tolerations tolerate taints (upstream core/v1 Toleration.ToleratesTaint and v1helper).</summary>
public static class Tolerations
{
    /// <summary>An empty effect or key matches all; Exists ignores the value; Equal (or empty) compares it.</summary>
    public static bool ToleratesTaint(V1Toleration toleration, V1Taint taint)
    {
        if (!string.IsNullOrEmpty(toleration.Effect) && toleration.Effect != taint.Effect)
        {
            return false;
        }

        if (!string.IsNullOrEmpty(toleration.Key) && toleration.Key != taint.Key)
        {
            return false;
        }

        return toleration.OperatorProperty switch
        {
            null or "" or "Equal" => (toleration.Value ?? "") == (taint.Value ?? ""),
            "Exists" => true,
            _ => false,
        };
    }

    public static bool Tolerates(IEnumerable<V1Toleration>? tolerations, V1Taint taint) =>
        tolerations?.Any(t => ToleratesTaint(t, taint)) ?? false;

    /// <summary>The first taint passing <paramref name="filter"/> that no toleration tolerates (upstream FindMatchingUntoleratedTaint).</summary>
    public static V1Taint? FindMatchingUntoleratedTaint(IEnumerable<V1Taint>? taints, IList<V1Toleration>? tolerations, Func<V1Taint, bool> filter) =>
        taints?.FirstOrDefault(taint => filter(taint) && !Tolerates(tolerations, taint));
}
