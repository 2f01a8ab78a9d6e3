
namespace Timonel.Kustomize.Yaml;

/// <summary>Which styles a string may be written in: libyaml's yaml_emitter_analyze_scalar, as go-yaml v2 runs it.</summary>
public readonly record struct ScalarAnalysis(bool Multiline, bool BlockPlainAllowed, bool SingleQuotedAllowed, bool BlockAllowed)
{
    public static bool IsPrintable(int v) =>
        v == 0x0A || (v >= 0x20 && v <= 0x7E) || v == 0x85 || (v >= 0xA0 && v <= 0xD7FF) || (v >= 0xE000 && v <= 0xFFFD && v != 0xFEFF) || v >= 0x10000;

    public static bool IsBreak(int v) => v is '\r' or '\n' or 0x85 or 0x2028 or 0x2029;

    private static bool IsBlankOrEnd(int v) => v is ' ' or '\t' or -1 || IsBreak(v);

    public static ScalarAnalysis Analyze(string value)
    {
        if (value.Length == 0)
        {
            return new ScalarAnalysis(false, true, true, false);
        }
        var runes = value.EnumerateRunes().Select(r => r.Value).ToArray();
        bool blockIndicators = false, flowIndicators = false, lineBreaks = false, special = false;
        bool leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false;
        bool breakSpace = false, spaceBreak = false, previousSpace = false, previousBreak = false;
        if (value.StartsWith("---", StringComparison.Ordinal) || value.StartsWith("...", StringComparison.Ordinal))
        {
            blockIndicators = true;
            flowIndicators = true;
        }
        var precededByWhitespace = true;
        for (var i = 0; i < runes.Length; i++)
        {
            var c = runes[i];
            var followedByWhitespace = IsBlankOrEnd(i + 1 < runes.Length ? runes[i + 1] : -1);
            if (i == 0)
            {
                if ("#,[]{}&*!|>'\"%@`".Contains((char)c, StringComparison.Ordinal) && c < 128)
                {
                    flowIndicators = true;
                    blockIndicators = true;
                }
                if (c is '?' or ':')
                {
                    flowIndicators = true;
                    if (followedByWhitespace)
                    {
                        blockIndicators = true;
                    }
                }
                if (c == '-' && followedByWhitespace)
                {
                    flowIndicators = true;
                    blockIndicators = true;
                }
            }
            else
            {
                if (c is ',' or '?' or '[' or ']' or '{' or '}')
                {
                    flowIndicators = true;
                }
                if (c == ':')
                {
                    flowIndicators = true;
                    if (followedByWhitespace)
                    {
                        blockIndicators = true;
                    }
                }
                if (c == '#' && precededByWhitespace)
                {
                    flowIndicators = true;
                    blockIndicators = true;
                }
            }
            if (!IsPrintable(c))
            {
                special = true;
            }
            if (IsBreak(c))
            {
                lineBreaks = true;
            }
            if (c == ' ')
            {
                leadingSpace |= i == 0;
                trailingSpace |= i == runes.Length - 1;
                breakSpace |= previousBreak;
                previousSpace = true;
                previousBreak = false;
            }
            else if (IsBreak(c))
            {
                leadingBreak |= i == 0;
                trailingBreak |= i == runes.Length - 1;
                spaceBreak |= previousSpace;
                previousBreak = true;
                previousSpace = false;
            }
            else
            {
                previousSpace = false;
                previousBreak = false;
            }
            precededByWhitespace = IsBlankOrEnd(c);
        }
        bool blockPlain = true, single = true, block = true;
        if (leadingSpace || leadingBreak || trailingSpace || trailingBreak)
        {
            blockPlain = false;
        }
        if (trailingSpace)
        {
            block = false;
        }
        if (breakSpace)
        {
            blockPlain = false;
            single = false;
        }
        if (spaceBreak || special)
        {
            blockPlain = false;
            single = false;
            block = false;
        }
        if (lineBreaks || blockIndicators)
        {
            blockPlain = false;
        }
        _ = flowIndicators;
        return new ScalarAnalysis(lineBreaks, blockPlain, single, block);
    }
}
