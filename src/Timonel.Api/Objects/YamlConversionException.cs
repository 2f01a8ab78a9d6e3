namespace Timonel.Api.Objects;

/// <summary>
/// YAML that cannot be converted to JSON. The message reads as upstream's sigs.k8s.io/yaml:
/// <c>error converting YAML to JSON: yaml: line 8: found character that cannot start any token</c>.
/// </summary>
public sealed class YamlConversionException : FormatException
{
    /// <summary>Creates the exception with its full message and the 1-based line/column of the problem (0 when unknown).</summary>
    public YamlConversionException(string message, long line = 0, long column = 0, Exception? inner = null)
        : base(message, inner)
    {
        Line = line;
        Column = column;
    }

    /// <summary>1-based line of the problem, 0 when unknown.</summary>
    public long Line { get; }

    /// <summary>1-based column of the problem, 0 when unknown.</summary>
    public long Column { get; }
}
