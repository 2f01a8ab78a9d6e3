namespace Timonel.Agent.Simulated;

/// <summary>The k=v,k=v form of the --node-capacity and --node-labels flags.</summary>
public static class KeyValueList
{
    /// <exception cref="FormatException">An entry is not key=value, or its key is empty.</exception>
    public static Dictionary<string, string> Parse(string? text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException($"\"{entry}\" is not of the form key=value");
            }

            result[entry[..equals]] = entry[(equals + 1)..];
        }

        return result;
    }

    /// <summary><paramref name="overrides"/> laid over <paramref name="defaults"/>.</summary>
    public static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string> defaults, IReadOnlyDictionary<string, string> overrides)
    {
        var result = new Dictionary<string, string>(defaults, StringComparer.Ordinal);
        foreach (var (key, value) in overrides)
        {
            result[key] = value;
        }

        return result;
    }
}
