using System.Globalization;
using Timonel.ApiServer.OpenApi;

namespace Timonel.ApiServer.Endpoints;

/// <summary>
/// Content negotiation for /openapi/v2 as kube-openapi does it (k8s.io/kube-openapi/pkg/handler/handler.go): the Accept
/// clauses by falling quality, and in each the first of application/json and the two protobuf media types it matches
/// (wildcards included, parameters ignored). client-go's discovery client asks for
/// "application/com.github.proto-openapi.spec.v2@v1.0+protobuf" (discovery_client.go openAPIV2mimePb); upstream
/// answers either protobuf type with the Content-Type "application/com.github.proto-openapi.spec.v2.v1.0+protobuf".
/// </summary>
internal static class OpenApiV2Accept
{
    public const string JsonContentType = "application/json";
    public const string ProtobufContentType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    private static readonly (string SubType, OpenApiFormat Format)[] _served =
    [
        ("json", OpenApiFormat.Json),
        ("com.github.proto-openapi.spec.v2@v1.0+protobuf", OpenApiFormat.Protobuf),
        ("com.github.proto-openapi.spec.v2.v1.0+protobuf", OpenApiFormat.Protobuf),
    ];

    /// <summary>The served media types, for the 406 message.</summary>
    public static string Served => string.Join(", ", _served.Select(s => "application/" + s.SubType));

    /// <summary>The form to serve for an Accept header, or null when none is acceptable (406). No Accept is */*.</summary>
    public static OpenApiFormat? Negotiate(string accept)
    {
        var clauses = (accept.Trim().Length == 0 ? "*/*" : accept).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(Parse)
            .OfType<(string Type, string SubType, double Quality)>()
            .Where(c => c.Quality > 0)
            .OrderByDescending(c => c.Quality)
            .ThenBy(c => c.Type == "*")
            .ThenBy(c => c.SubType == "*");
        foreach (var (type, subType, _) in clauses)
        {
            foreach (var served in _served)
            {
                if (type is "*" || type.Equals("application", StringComparison.OrdinalIgnoreCase))
                {
                    if (subType is "*" || subType.Equals(served.SubType, StringComparison.OrdinalIgnoreCase))
                    {
                        return served.Format;
                    }
                }
            }
        }

        return null;
    }

    public static string ContentType(OpenApiFormat format) => format == OpenApiFormat.Json ? JsonContentType : ProtobufContentType;

    /// <summary>"type/subtype;q=0.5;..." as its parts; "*" alone is "*/*"; null for a clause without a subtype.</summary>
    private static (string Type, string SubType, double Quality)? Parse(string clause)
    {
        var parts = clause.Split(';', StringSplitOptions.TrimEntries);
        var mediaRange = parts[0] == "*" ? "*/*" : parts[0];
        var slash = mediaRange.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == mediaRange.Length - 1)
        {
            return null;
        }

        var quality = 1.0;
        foreach (var parameter in parts.Skip(1))
        {
            if (parameter.StartsWith("q=", StringComparison.OrdinalIgnoreCase) &&
                double.TryParse(parameter[2..], NumberStyles.Float, CultureInfo.InvariantCulture, out var q))
            {
                quality = q;
            }
        }

        return (mediaRange[..slash], mediaRange[(slash + 1)..], quality);
    }
}
