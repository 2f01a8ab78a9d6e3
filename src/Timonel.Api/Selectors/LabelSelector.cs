using System.Text.Json;
using System.Text.Json.Nodes;
using Timonel.Api.Validation;

namespace Timonel.Api.Selectors;

/// <summary>
/// A label selector: requirements that must all hold, as apimachinery's labels.Selector. Parse the string form
/// (<c>app=web,tier in (fe,be),!canary</c>) with <see cref="Parse"/> or convert a metav1.LabelSelector object with
/// <see cref="FromLabelSelectorJson"/>.
/// </summary>
public sealed class LabelSelector
{
    private LabelSelector(IReadOnlyList<LabelRequirement> requirements, bool matchesNothing)
    {
        Requirements = requirements;
        MatchesNothing = matchesNothing;
    }

    /// <summary>The selector that matches every object (empty string, or an empty LabelSelector object).</summary>
    public static LabelSelector Everything { get; } = new([], false);

    /// <summary>The selector that matches no object (a null LabelSelector).</summary>
    public static LabelSelector Nothing { get; } = new([], true);

    /// <summary>The requirements, sorted by key.</summary>
    public IReadOnlyList<LabelRequirement> Requirements { get; }

    /// <summary>True only for <see cref="Nothing"/>.</summary>
    public bool MatchesNothing { get; }

    /// <summary>True when the selector places no restriction (matches everything).</summary>
    public bool IsEmpty => !MatchesNothing && Requirements.Count == 0;

    /// <summary>
    /// Parses the string syntax as upstream's labels.Parse; throws <see cref="SelectorParseException"/> with
    /// upstream's message (e.g. <c>unable to parse requirement: found '', expected: identifier</c>).
    /// </summary>
    public static LabelSelector Parse(string selector, FieldPath? path = null) => new(LabelSelectorParser.Parse(selector, path), false);

    /// <summary>A selector requiring every label of <paramref name="labels"/> to equal its value.</summary>
    public static LabelSelector FromSet(IReadOnlyDictionary<string, string> labels) => new(
        labels.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => LabelRequirement.Create(p.Key, SelectionOperator.Equals, [p.Value]))
            .ToList(),
        false);

    /// <summary>
    /// Converts a metav1.LabelSelector JSON object (matchLabels, matchExpressions with In/NotIn/Exists/DoesNotExist)
    /// as upstream's LabelSelectorAsSelector: null → <see cref="Nothing"/>, empty → <see cref="Everything"/>.
    /// </summary>
    public static LabelSelector FromLabelSelectorJson(JsonNode? selector)
    {
        if (selector is not JsonObject obj)
        {
            return Nothing;
        }
        var requirements = new List<LabelRequirement>();
        if (obj["matchLabels"] is JsonObject matchLabels)
        {
            foreach (var (key, value) in matchLabels)
            {
                requirements.Add(LabelRequirement.Create(key, SelectionOperator.Equals, [StringOf(value)]));
            }
        }
        if (obj["matchExpressions"] is JsonArray expressions)
        {
            foreach (var expression in expressions.OfType<JsonObject>())
            {
                var op = StringOf(expression["operator"]);
                var mapped = op switch
                {
                    "In" => SelectionOperator.In,
                    "NotIn" => SelectionOperator.NotIn,
                    "Exists" => SelectionOperator.Exists,
                    "DoesNotExist" => SelectionOperator.DoesNotExist,
                    _ => throw new SelectorParseException(Internal.GoFormat.Quote(op) + " is not a valid label selector operator"),
                };
                var values = (expression["values"] as JsonArray)?.Select(StringOf).ToList() ?? [];
                requirements.Add(LabelRequirement.Create(StringOf(expression["key"]), mapped, values, emptyIsNil: true));
            }
        }
        return requirements.Count == 0 ? Everything : new LabelSelector(requirements.OrderBy(r => r.Key, StringComparer.Ordinal).ToList(), false);
    }

    /// <summary>Whether an object with <paramref name="labels"/> is selected.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels) => !MatchesNothing && Requirements.All(r => r.Matches(labels));

    /// <summary>
    /// The value a label must have when the selector pins it with =, == or a one-value in; null otherwise
    /// (upstream's RequiresExactMatch, used to narrow lists).
    /// </summary>
    public string? RequiresExactMatch(string label)
    {
        var requirement = Requirements.FirstOrDefault(r => r.Key == label);
        return requirement is { Operator: SelectionOperator.Equals or SelectionOperator.DoubleEquals or SelectionOperator.In, Values.Count: 1 }
            ? requirement.Values[0]
            : null;
    }

    /// <summary>The selector in string syntax (requirements joined by ','); <see cref="Nothing"/> renders as upstream's nothingSelector, "".</summary>
    public override string ToString() => string.Join(",", Requirements.Select(r => r.ToString()));

    private static string StringOf(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : node?.ToJsonString() ?? string.Empty;
}
