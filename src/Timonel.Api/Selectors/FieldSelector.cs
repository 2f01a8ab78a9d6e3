using System.Globalization;
using System.Text;

namespace Timonel.Api.Selectors;

/// <summary>
/// A field selector such as <c>metadata.name=web,status.phase!=Running</c>, as apimachinery's fields.ParseSelector:
/// terms joined by unescaped commas, each <c>=</c>, <c>==</c> or <c>!=</c>; values may escape <c>\,</c> <c>\=</c> <c>\\</c>.
/// </summary>
public sealed class FieldSelector
{
    private static readonly string[] _operators = ["!=", "==", "="];

    private FieldSelector(IReadOnlyList<FieldRequirement> requirements) => Requirements = requirements;

    /// <summary>The selector that matches everything.</summary>
    public static FieldSelector Everything { get; } = new([]);

    /// <summary>The terms, in upstream's order (terms sorted as strings).</summary>
    public IReadOnlyList<FieldRequirement> Requirements { get; }

    /// <summary>True when there is no term.</summary>
    public bool IsEmpty => Requirements.Count == 0;

    /// <summary>Parses a field selector; throws <see cref="SelectorParseException"/> with upstream's message.</summary>
    public static FieldSelector Parse(string selector)
    {
        var terms = SplitTerms(selector);
        terms.Sort(StringComparer.Ordinal);
        var requirements = new List<FieldRequirement>();
        foreach (var term in terms)
        {
            if (term.Length == 0)
            {
                continue;
            }
            if (!SplitTerm(term, out var field, out var op, out var raw))
            {
                throw new SelectorParseException($"invalid selector: '{selector}'; can't understand '{term}'");
            }
            requirements.Add(new FieldRequirement(field, op != "!=", UnescapeValue(raw)));
        }
        return new FieldSelector(requirements);
    }

    /// <summary>Escapes '\', ',' and '=' in a value so it can be embedded in a selector.</summary>
    public static string EscapeValue(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(",", "\\,", StringComparison.Ordinal).Replace("=", "\\=", StringComparison.Ordinal);

    /// <summary>Reverses <see cref="EscapeValue"/>; unknown escapes and bare ',' or '=' are errors, as upstream.</summary>
    public static string UnescapeValue(string value)
    {
        if (value.IndexOfAny(['\\', ',', '=']) < 0)
        {
            return value;
        }
        var builder = new StringBuilder(value.Length);
        var inSlash = false;
        foreach (var rune in value.EnumerateRunes())
        {
            if (inSlash)
            {
                if (rune.Value is not ('\\' or ',' or '='))
                {
                    throw new SelectorParseException("invalid field selector: invalid escape sequence: \\" + rune);
                }
                builder.Append(rune.ToString());
                inSlash = false;
                continue;
            }
            switch (rune.Value)
            {
                case '\\':
                    inSlash = true;
                    break;
                case ',' or '=':
                    // Upstream prints the rune with %v, i.e. as its code point number.
                    throw new SelectorParseException("invalid field selector: unescaped character in value: " + rune.Value.ToString(CultureInfo.InvariantCulture));
                default:
                    builder.Append(rune.ToString());
                    break;
            }
        }
        if (inSlash)
        {
            throw new SelectorParseException("invalid field selector: invalid escape sequence: \\");
        }
        return builder.ToString();
    }

    /// <summary>Whether an object matches; <paramref name="fieldValue"/> returns a field's value or null when absent.</summary>
    public bool Matches(Func<string, string?> fieldValue) => Requirements.All(r => r.Matches(fieldValue));

    /// <summary>The value a field must equal when the selector pins it with = or ==; null otherwise.</summary>
    public string? RequiresExactMatch(string field) => Requirements.FirstOrDefault(r => r.Field == field && r.Equal)?.Value;

    /// <summary>
    /// The first field not in <paramref name="supportedFields"/>, or null; the API server answers
    /// <c>field label not supported: &lt;field&gt;</c> for it.
    /// </summary>
    public string? FindUnsupportedField(IReadOnlySet<string> supportedFields) =>
        Requirements.Select(r => r.Field).FirstOrDefault(f => !supportedFields.Contains(f));

    /// <summary>The selector string: terms joined by ','.</summary>
    public override string ToString() => string.Join(",", Requirements.Select(r => r.ToString()));

    private static List<string> SplitTerms(string selector)
    {
        var terms = new List<string>();
        if (selector.Length == 0)
        {
            return terms;
        }
        var start = 0;
        var inSlash = false;
        for (var i = 0; i < selector.Length; i++)
        {
            if (inSlash)
            {
                inSlash = false;
            }
            else if (selector[i] == '\\')
            {
                inSlash = true;
            }
            else if (selector[i] == ',')
            {
                terms.Add(selector[start..i]);
                start = i + 1;
            }
        }
        terms.Add(selector[start..]);
        return terms;
    }

    private static bool SplitTerm(string term, out string field, out string op, out string value)
    {
        for (var i = 0; i < term.Length; i++)
        {
            foreach (var candidate in _operators)
            {
                if (string.CompareOrdinal(term, i, candidate, 0, candidate.Length) == 0)
                {
                    field = term[..i];
                    op = candidate;
                    value = term[(i + candidate.Length)..];
                    return true;
                }
            }
        }
        field = op = value = string.Empty;
        return false;
    }
}
