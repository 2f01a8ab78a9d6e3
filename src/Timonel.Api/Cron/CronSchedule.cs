using System.Globalization;
using Timonel.Api.Protobuf;

namespace Timonel.Api.Cron;

/// <summary>
/// A CronJob schedule as robfig/cron v3's ParseStandard reads it (the parser upstream's validation and cronjob
/// controller use): five fields (minute, hour, day of month, month, day of week) of "*", "?", values, names of months
/// and days, ranges, steps and lists; the descriptors @yearly/@annually, @monthly, @weekly, @daily/@midnight, @hourly
/// and @every DURATION; an optional TZ= or CRON_TZ= prefix. <see cref="Next"/> is robfig's SpecSchedule.Next, wall
/// clock rules included: a time skipped by a DST change is skipped, one repeated is run twice.
/// </summary>
public sealed class CronSchedule
{
    // robfig's starBit: the field was "*" or "?", which changes how day of month and day of week combine.
    private const ulong StarBit = 1UL << 63;

    private static readonly Dictionary<string, int> _months = Names(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], first: 1);
    private static readonly Dictionary<string, int> _days = Names(["sun", "mon", "tue", "wed", "thu", "fri", "sat"], first: 0);

    // robfig's bounds for the five standard fields.
    private static readonly (int Min, int Max, Dictionary<string, int>? Names)[] _bounds =
        [(0, 59, null), (0, 23, null), (1, 31, null), (1, 12, _months), (0, 6, _days)];

    private readonly ulong _minute;
    private readonly ulong _hour;
    private readonly ulong _dayOfMonth;
    private readonly ulong _month;
    private readonly ulong _dayOfWeek;
    private readonly TimeSpan? _every;

    private CronSchedule(ulong[] fields, TimeZoneInfo zone)
    {
        (_minute, _hour, _dayOfMonth, _month, _dayOfWeek) = (fields[0], fields[1], fields[2], fields[3], fields[4]);
        Zone = zone;
    }

    private CronSchedule(TimeSpan every, TimeZoneInfo zone)
    {
        _every = every;
        Zone = zone;
    }

    /// <summary>The zone the fields are read in: the TZ= prefix's, else the zone given to <see cref="Parse"/>.</summary>
    public TimeZoneInfo Zone { get; }

    /// <summary>
    /// Parses <paramref name="spec"/>; fields are read in <paramref name="zone"/> unless the spec names its own
    /// (robfig reads them in time.Local). Throws <see cref="CronFormatException"/> with robfig's error text.
    /// </summary>
    public static CronSchedule Parse(string spec, TimeZoneInfo zone)
    {
        if (spec.Length == 0)
        {
            throw new CronFormatException("empty spec string");
        }

        if (spec.StartsWith("TZ=", StringComparison.Ordinal) || spec.StartsWith("CRON_TZ=", StringComparison.Ordinal))
        {
            var space = spec.IndexOf(' ', StringComparison.Ordinal);
            var equals = spec.IndexOf('=', StringComparison.Ordinal);
            var name = space < 0 ? spec[(equals + 1)..] : spec[(equals + 1)..space];
            if (!GoLocation.TryLoad(name, zone, out zone, out var error))
            {
                throw new CronFormatException($"provided bad location {name}: {error}");
            }

            spec = space < 0 ? string.Empty : spec[space..].Trim();
        }

        if (spec.StartsWith('@'))
        {
            return Descriptor(spec, zone);
        }

        var fields = spec.Split([' ', '\t', '\n', '\r', '\v', '\f'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
        {
            throw new CronFormatException(string.Create(CultureInfo.InvariantCulture, $"expected exactly 5 fields, found {fields.Length}: [{string.Join(' ', fields)}]"));
        }

        var bits = new ulong[5];
        for (var i = 0; i < fields.Length; i++)
        {
            foreach (var expression in fields[i].Split(','))
            {
                bits[i] |= Range(expression, _bounds[i]);
            }
        }

        return new CronSchedule(bits, zone);
    }

    /// <summary>robfig's error text for <paramref name="spec"/>, or null when it parses.</summary>
    public static string? Error(string spec)
    {
        try
        {
            Parse(spec, TimeZoneInfo.Utc);
            return null;
        }
        catch (CronFormatException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>
    /// The first activation strictly after <paramref name="after"/> (to the second), or null when none comes within
    /// five years (robfig's zero time: "30 0 31 2 *" never runs).
    /// </summary>
    public DateTimeOffset? Next(DateTimeOffset after)
    {
        // Both schedules start from the whole second.
        var t = after.AddTicks(-(after.UtcTicks % TimeSpan.TicksPerSecond));
        return _every is { } every ? t + every : NextSpec(t.ToUniversalTime());
    }

    private static Dictionary<string, int> Names(string[] names, int first) =>
        names.Select((name, i) => (name, i)).ToDictionary(n => n.name, n => n.i + first, StringComparer.Ordinal);

    private static CronSchedule Descriptor(string spec, TimeZoneInfo zone)
    {
        // The descriptors' fields; a field of all values is marked as "*" (robfig's all()).
        var all = new Func<int, ulong>(i => Bits(_bounds[i].Min, _bounds[i].Max, 1) | StarBit);
        ulong[]? fields = spec switch
        {
            "@yearly" or "@annually" => [1, 1, 1UL << 1, 1UL << 1, all(4)],
            "@monthly" => [1, 1, 1UL << 1, all(3), all(4)],
            "@weekly" => [1, 1, all(2), all(3), 1],
            "@daily" or "@midnight" => [1, 1, all(2), all(3), all(4)],
            "@hourly" => [1, all(1), all(2), all(3), all(4)],
            _ => null,
        };
        if (fields is not null)
        {
            return new CronSchedule(fields, zone);
        }

        const string Every = "@every ";
        if (spec.StartsWith(Every, StringComparison.Ordinal))
        {
            long nanoseconds;
            try
            {
                nanoseconds = GoDuration.Parse(spec[Every.Length..]);
            }
            catch (FormatException ex)
            {
                throw new CronFormatException($"failed to parse duration {spec}: time: {ex.Message}");
            }

            // robfig's Every: at least a second, and whole seconds.
            var seconds = Math.Max(1, nanoseconds / 1_000_000_000);
            return new CronSchedule(TimeSpan.FromSeconds(seconds), zone);
        }

        throw new CronFormatException("unrecognized descriptor: " + spec);
    }

    /// <summary>robfig's getRange: "*", "?", "a", "a-b", each optionally "/step"; "a/step" runs to the maximum.</summary>
    private static ulong Range(string expression, (int Min, int Max, Dictionary<string, int>? Names) bounds)
    {
        var rangeAndStep = expression.Split('/');
        var lowAndHigh = rangeAndStep[0].Split('-');
        int start, end;
        var extra = 0UL;
        if (lowAndHigh[0] is "*" or "?")
        {
            (start, end, extra) = (bounds.Min, bounds.Max, StarBit);
        }
        else
        {
            start = IntOrName(lowAndHigh[0], bounds.Names);
            end = lowAndHigh.Length switch
            {
                1 => start,
                2 => IntOrName(lowAndHigh[1], bounds.Names),
                _ => throw new CronFormatException("too many hyphens: " + expression),
            };
        }

        var step = 1;
        if (rangeAndStep.Length == 2)
        {
            step = Int(rangeAndStep[1]);
            if (lowAndHigh.Length == 1)
            {
                end = bounds.Max;
            }

            if (step > 1)
            {
                extra = 0;
            }
        }
        else if (rangeAndStep.Length > 2)
        {
            throw new CronFormatException("too many slashes: " + expression);
        }

        var error = start < bounds.Min ? Invariant($"beginning of range ({start}) below minimum ({bounds.Min}): {expression}")
            : end > bounds.Max ? Invariant($"end of range ({end}) above maximum ({bounds.Max}): {expression}")
            : start > end ? Invariant($"beginning of range ({start}) beyond end of range ({end}): {expression}")
            : step == 0 ? "step of range should be a positive number: " + expression
            : null;
        return error is null ? Bits(start, end, step) | extra : throw new CronFormatException(error);
    }

    private static ulong Bits(int min, int max, int step)
    {
        var bits = 0UL;
        for (var i = min; i <= max; i += step)
        {
            bits |= 1UL << i;
        }

        return bits;
    }

    private static int IntOrName(string text, Dictionary<string, int>? names) =>
        names is not null && names.TryGetValue(text.ToLowerInvariant(), out var value) ? value : Int(text);

    /// <summary>robfig's mustParseInt: Go's strconv.Atoi error text, and no negatives.</summary>
    private static int Int(string text)
    {
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw new CronFormatException($"failed to parse int from {text}: strconv.Atoi: parsing \"{text}\": invalid syntax");
        }

        return value < 0 ? throw new CronFormatException(Invariant($"negative number ({value}) not allowed: {text}")) : value;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static bool Has(ulong bits, int value) => (bits & (1UL << value)) != 0;

    /// <summary>
    /// robfig's SpecSchedule.Next, step for step: find the first matching month, then day, hour and minute, each
    /// time resetting the smaller fields once; moving by days in wall time (Go's AddDate) but by hours and minutes in
    /// absolute time (Go's Add), so DST gaps and repeats behave as upstream's.
    /// </summary>
    private DateTimeOffset? NextSpec(DateTimeOffset start)
    {
        var t = start.AddSeconds(1);
        var added = false;
        var yearLimit = Local(t).Year + 5;

    Wrap:
        if (Local(t).Year > yearLimit)
        {
            return null;
        }

        while (!Has(_month, Local(t).Month))
        {
            var local = Local(t);
            if (!added)
            {
                added = true;
                t = Date(local.Year, local.Month, 1, 0, 0);
                local = Local(t);
            }

            t = Date(local.Year, local.Month + 1, local.Day, local.Hour, local.Minute);
            if (Local(t).Month == 1)
            {
                goto Wrap;
            }
        }

        while (!DayMatches(Local(t)))
        {
            var local = Local(t);
            if (!added)
            {
                added = true;
                t = Date(local.Year, local.Month, local.Day, 0, 0);
                local = Local(t);
            }

            t = Date(local.Year, local.Month, local.Day + 1, local.Hour, local.Minute);

            // Midnight moved by a DST change: back to it.
            var hour = Local(t).Hour;
            if (hour != 0)
            {
                t = t.AddHours(hour > 12 ? 24 - hour : -hour);
            }

            if (Local(t).Day == 1)
            {
                goto Wrap;
            }
        }

        while (!Has(_hour, Local(t).Hour))
        {
            if (!added)
            {
                added = true;
                var local = Local(t);
                t = Date(local.Year, local.Month, local.Day, local.Hour, 0);
            }

            t = t.AddHours(1);
            if (Local(t).Hour == 0)
            {
                goto Wrap;
            }
        }

        while (!Has(_minute, Local(t).Minute))
        {
            if (!added)
            {
                added = true;
                t = t.AddTicks(-(t.UtcTicks % TimeSpan.TicksPerMinute));
            }

            t = t.AddMinutes(1);
            if (Local(t).Minute == 0)
            {
                goto Wrap;
            }
        }

        // The standard parser's seconds field is always 0.
        while (Local(t).Second != 0)
        {
            if (!added)
            {
                added = true;
            }

            t = t.AddSeconds(1);
            if (Local(t).Second == 0)
            {
                goto Wrap;
            }
        }

        return t;
    }

    /// <summary>dayMatches: both must match if either field is "*", else either may.</summary>
    private bool DayMatches(DateTimeOffset local)
    {
        var dom = Has(_dayOfMonth, local.Day);
        var dow = Has(_dayOfWeek, (int)local.DayOfWeek);
        return (_dayOfMonth & StarBit) != 0 || (_dayOfWeek & StarBit) != 0 ? dom && dow : dom || dow;
    }

    private DateTimeOffset Local(DateTimeOffset t) => TimeZoneInfo.ConvertTime(t, Zone);

    /// <summary>
    /// Go's time.Date in <see cref="Zone"/>: fields out of range carry over, and a wall time a DST change skips or
    /// repeats gets Go's offset (the one in force at the wall time read as UTC, unless that lands outside its period).
    /// </summary>
    private DateTimeOffset Date(int year, int month, int day, int hour, int minute)
    {
        var wall = new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Unspecified)
            .AddMonths(month - 1).AddDays(day - 1).AddHours(hour).AddMinutes(minute);
        var asUtc = new DateTimeOffset(wall, TimeSpan.Zero);
        var offset = Zone.GetUtcOffset(asUtc);
        var utc = asUtc - offset;
        var corrected = Zone.GetUtcOffset(utc);
        return (corrected == offset ? utc : asUtc - corrected).ToUniversalTime();
    }
}
