namespace Timonel.Api.Selectors;

/// <summary>A label or field selector that does not parse or validate; the message is upstream's.</summary>
public sealed class SelectorParseException : FormatException
{
    /// <summary>Creates the exception with upstream's message.</summary>
    public SelectorParseException(string message)
        : base(message)
    {
    }
}
