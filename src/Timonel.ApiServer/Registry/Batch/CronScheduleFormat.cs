using System.Globalization;

namespace Timonel.ApiServer.Registry.Batch;

/// <summary>
/// Checks a standard five-field cron schedule (or an @descriptor) as robfig/cron v3's ParseStandard, which
/// upstream's CronJob validation uses; the returned text is that parser's error, null when the schedule parses.
/// </summary>
internal static class CronScheduleFormat
{
    private static readonly string[] _descriptors = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];
    private static readonly string[] _months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    private static readonly string[] _days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    // minute, hour, day of month, month, day of week: bounds and the names a field accepts (first name = min).
    private static readonly (int Min, int Max, string[]? Names)[] _fields =
        [(0, 59, null), (0, 23, null), (1, 31, null), (1, 12, _months), (0, 6, _days)];

    public static string? Error(string schedule)
    {
        var spec = schedule.Trim();
        if (spec.Length == 0)
        {
            return "empty spec string";
        }

        if (spec.StartsWith('@'))
        {
            return _descriptors.Contains(spec) || spec.StartsWith("@every ", StringComparison.Ordinal) ? null : "unrecognized descriptor: " + spec;
        }

        var fields = spec.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
        {
            return string.Create(CultureInfo.InvariantCulture, $"expected exactly 5 fields, found {fields.Length}: [{string.Join(' ', fields)}]");
        }

        for (var i = 0; i < fields.Length; i++)
        {
            foreach (var expression in fields[i].Split(','))
            {
                if (RangeError(expression, _fields[i]) is { } error)
                {
                    return error;
                }
            }
        }

        return null;
    }

    /// <summary>getRange: "*", "?", "a", "a-b", each optionally "/step".</summary>
    private static string? RangeError(string expression, (int Min, int Max, string[]? Names) bounds)
    {
        var rangeAndStep = expression.Split('/');
        var lowAndHigh = rangeAndStep[0].Split('-');
        int start, end;
        string? error;
        if (lowAndHigh[0] is "*" or "?")
        {
            (start, end) = (bounds.Min, bounds.Max);
        }
        else
        {
            if ((error = IntOrName(lowAndHigh[0], bounds.Names, out start)) is not null)
            {
                return error;
            }

            end = start;
            if (lowAndHigh.Length == 2 && (error = IntOrName(lowAndHigh[1], bounds.Names, out end)) is not null)
            {
                return error;
            }

            if (lowAndHigh.Length > 2)
            {
                return "too many hyphens: " + expression;
            }
        }

        var step = 1;
        if (rangeAndStep.Length == 2)
        {
            if ((error = Int(rangeAndStep[1], out step)) is not null)
            {
                return error;
            }

            if (lowAndHigh.Length == 1)
            {
                end = bounds.Max;
            }
        }
        else if (rangeAndStep.Length > 2)
        {
            return "too many slashes: " + expression;
        }

        return start < bounds.Min ? Invariant($"beginning of range ({start}) below minimum ({bounds.Min}): {expression}")
            : end > bounds.Max ? Invariant($"end of range ({end}) above maximum ({bounds.Max}): {expression}")
            : start > end ? Invariant($"beginning of range ({start}) beyond end of range ({end}): {expression}")
            : step == 0 ? "step of range should be a positive number: " + expression
            : null;
    }

    private static string? IntOrName(string text, string[]? names, out int value)
    {
        var index = names is null ? -1 : Array.IndexOf(names, text.ToLowerInvariant());
        if (index >= 0)
        {
            value = index + (names == _months ? 1 : 0);
            return null;
        }

        return Int(text, out value);
    }

    /// <summary>mustParseInt: Go's strconv.Atoi error text, and no negatives.</summary>
    private static string? Int(string text, out int value)
    {
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            return $"failed to parse int from {text}: strconv.Atoi: parsing \"{text}\": invalid syntax";
        }

        return value < 0 ? Invariant($"negative number ({value}) not allowed: {text}") : null;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
