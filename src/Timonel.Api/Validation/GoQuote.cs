using Timonel.Api.Internal;

namespace Timonel.Api.Validation;

/// <summary>Go's strconv.Quote (fmt's %q), for messages that quote names as upstream does.</summary>
public static class GoQuote
{
    public static string Of(string value) => GoFormat.Quote(value);
}
