using System.Globalization;

namespace Timonel.Agent.Kubelet.Server.Logs;

/// <summary>
/// The kubelet's /containerLogs options (PodLogOptions as the API server passes them on): follow, previous,
/// timestamps, sinceSeconds or sinceTime, tailLines and limitBytes.
/// </summary>
public sealed record ContainerLogOptions
{
    public bool Follow { get; init; }

    public bool Previous { get; init; }

    public bool Timestamps { get; init; }

    /// <summary>Records older than this are left out.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only the last this many lines of what the file holds when reading starts.</summary>
    public long? TailLines { get; init; }

    /// <summary>Output stops after this many bytes.</summary>
    public long? LimitBytes { get; init; }

    /// <summary>Reads the options from query parameters; bad values throw <see cref="FormatException"/> with the reason.</summary>
    public static ContainerLogOptions Parse(Func<string, string?> query, DateTimeOffset now)
    {
        var sinceSeconds = Long(query, "sinceSeconds");
        var sinceTime = query("sinceTime") is { Length: > 0 } text ? Time(text) : (DateTimeOffset?)null;
        if (sinceSeconds is not null && sinceTime is not null)
        {
            throw new FormatException("at most one of `sinceTime` or `sinceSeconds` may be specified");
        }

        if (sinceSeconds is < 1)
        {
            throw new FormatException("sinceSeconds: must be greater than 0");
        }

        var tail = Long(query, "tailLines");
        if (tail is < 0)
        {
            throw new FormatException("tailLines: must be greater than or equal to 0");
        }

        var limit = Long(query, "limitBytes");
        if (limit is < 1)
        {
            throw new FormatException("limitBytes: must be greater than 0");
        }

        return new ContainerLogOptions
        {
            Follow = Bool(query, "follow"),
            Previous = Bool(query, "previous"),
            Timestamps = Bool(query, "timestamps"),
            Since = sinceTime ?? (sinceSeconds is { } seconds ? now - TimeSpan.FromSeconds(seconds) : null),
            TailLines = tail,
            LimitBytes = limit,
        };
    }

    private static bool Bool(Func<string, string?> query, string name) =>
        query(name) switch
        {
            null or "" => false,
            "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
            "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
            var other => throw new FormatException($"{name}: invalid boolean value \"{other}\""),
        };

    private static long? Long(Func<string, string?> query, string name) =>
        query(name) switch
        {
            null or "" => null,
            var text when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) => value,
            var text => throw new FormatException($"{name}: invalid integer value \"{text}\""),
        };

    private static DateTimeOffset Time(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : throw new FormatException($"sinceTime: invalid time \"{text}\" (want RFC 3339)");
}
