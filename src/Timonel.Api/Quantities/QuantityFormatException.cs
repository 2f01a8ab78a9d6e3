namespace Timonel.Api.Quantities;

/// <summary>A string that is not a quantity; the message is upstream's (resource.ErrFormatWrong and friends).</summary>
public sealed class QuantityFormatException : FormatException
{
    /// <summary>Upstream's ErrFormatWrong text.</summary>
    public const string FormatWrongMessage = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

    /// <summary>Upstream's ErrNumeric text.</summary>
    public const string NumericMessage = "unable to parse numeric part of quantity";

    /// <summary>Upstream's ErrSuffix text.</summary>
    public const string SuffixMessage = "unable to parse quantity's suffix";

    /// <summary>Creates the exception with one of the upstream messages.</summary>
    public QuantityFormatException(string message)
        : base(message)
    {
    }
}
