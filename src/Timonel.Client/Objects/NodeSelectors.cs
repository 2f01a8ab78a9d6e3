using System.Globalization;
using k8s.Models;

namespace Timonel.Client.Objects;

/// <summary>
/// Node selector terms against a node (upstream component-helpers nodeaffinity), for the scheduler and the DaemonSet
/// controller alike: terms are ORed, a term's expressions and fields ANDed; an empty term matches nothing; fields know
/// metadata.name only.
/// </summary>
public static class NodeSelectors
{
    public const string ObjectNameField = "metadata.name";

    public static bool MatchesAnyTerm(IEnumerable<V1NodeSelectorTerm>? terms, V1Node node) =>
        terms?.Any(term => MatchesTerm(term, node)) ?? false;

    public static bool MatchesTerm(V1NodeSelectorTerm term, V1Node node)
    {
        var expressions = term.MatchExpressions ?? [];
        var fields = term.MatchFields ?? [];
        if (expressions.Count == 0 && fields.Count == 0)
        {
            return false;
        }

        var labels = node.Metadata?.Labels;
        return expressions.All(r => Matches(r, labels?.TryGetValue(r.Key, out var v) == true ? v : null))
            && fields.All(r => r.Key == ObjectNameField && Matches(r, node.Metadata?.Name));
    }

    /// <summary>Every label of the pod's spec.nodeSelector is on the node with the same value.</summary>
    public static bool MatchesNodeSelector(IDictionary<string, string>? selector, V1Node node) =>
        selector is null || selector.All(pair => node.Metadata?.Labels?.TryGetValue(pair.Key, out var value) == true && value == pair.Value);

    private static bool Matches(V1NodeSelectorRequirement requirement, string? value)
    {
        var values = requirement.Values ?? [];
        return requirement.OperatorProperty switch
        {
            "In" => value is not null && values.Contains(value),
            "NotIn" => value is null || !values.Contains(value),
            "Exists" => value is not null,
            "DoesNotExist" => value is null,
            "Gt" => Compare(value, values) is > 0,
            "Lt" => Compare(value, values) is < 0,
            _ => false,
        };
    }

    // Gt and Lt compare integers; a missing or non-integer label, or not exactly one value, matches neither.
    private static int? Compare(string? value, IList<string> values) =>
        value is not null && values.Count == 1
        && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var label)
        && long.TryParse(values[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var bound)
            ? label.CompareTo(bound)
            : null;
}
