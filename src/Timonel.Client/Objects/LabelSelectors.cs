using k8s.Models;

namespace Timonel.Client.Objects;

/// <summary>
/// metav1.LabelSelector against labels (apimachinery's LabelSelectorAsSelector): matchLabels and matchExpressions
/// ANDed. A null selector matches nothing and an empty one everything, as the ReplicaSet controller reads them.
/// </summary>
public static class LabelSelectors
{
    public static bool Matches(V1LabelSelector? selector, IDictionary<string, string>? labels)
    {
        if (selector is null)
        {
            return false;
        }

        return (selector.MatchLabels ?? new Dictionary<string, string>()).All(pair => labels?.TryGetValue(pair.Key, out var value) == true && value == pair.Value)
            && (selector.MatchExpressions ?? []).All(r => Matches(r, labels?.TryGetValue(r.Key, out var v) == true ? v : null));
    }

    private static bool Matches(V1LabelSelectorRequirement requirement, string? value)
    {
        var values = requirement.Values ?? [];
        return requirement.OperatorProperty switch
        {
            "In" => value is not null && values.Contains(value),
            "NotIn" => value is null || !values.Contains(value),
            "Exists" => value is not null,
            "DoesNotExist" => value is null,
            _ => false,
        };
    }
}
