using Microsoft.AspNetCore.Http;
using Timonel.ApiServer.Printing;

namespace Timonel.ApiServer.Endpoints;

/// <summary>
/// What representation the client asked for in Accept: the object itself, a Table (kubectl get), or
/// PartialObjectMetadata (metadata-only clients). Parameters as upstream's negotiation reads them:
/// application/json;as=Table;v=v1;g=meta.k8s.io.
/// </summary>
public sealed record ResponseFormat(string As, string MetaVersion, TableRequest? Table)
{
    public static ResponseFormat Object { get; } = new("", "", null);

    public bool IsPartialMetadata => As is "PartialObjectMetadata" or "PartialObjectMetadataList";

    /// <summary>
    /// The media types kube-apiserver's built-in serializers offer, in the order its 406 lists them
    /// (negotiation.NewNotAcceptableError: "only the following media types are accepted: ...").
    /// </summary>
    private static readonly string[] _served = ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"];

    /// <summary>
    /// Refuses, before anything is done, a request whose Accept header names nothing the server can answer in, as
    /// upstream's handlers do first (negotiation.NegotiateOutputMediaType). No Accept, a wildcard, any served type
    /// (the answer is JSON, which clients read by its Content-Type) or a Table/metadata clause kubectl sends will do.
    /// </summary>
    public static void EnsureAcceptable(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        if (accept.Trim().Length == 0 || Clauses(accept).Any(c => IsServed(c.MediaType) && (c.As is null || c.Known)))
        {
            return;
        }

        throw StatusException.NotAcceptable("only the following media types are accepted: " + string.Join(", ", _served));
    }

    public static ResponseFormat From(HttpRequest request)
    {
        foreach (var (mediaType, parameters, kind, known) in Clauses(request.Headers.Accept.ToString()))
        {
            if (mediaType is not ("application/json" or "*/*" or "application/*"))
            {
                continue;
            }

            if (kind is null)
            {
                return Object;
            }

            if (!known)
            {
                continue;
            }

            var version = "meta.k8s.io/" + parameters["v"];
            var include = request.Query["includeObject"].ToString() is { Length: > 0 } given ? given : "Metadata";
            return new ResponseFormat(kind, version, kind == "Table" ? new TableRequest(version, include) : null);
        }

        return Object;
    }

    private static bool IsServed(string mediaType) =>
        mediaType is "*/*" or "*" or "application/*" || _served.Contains(mediaType, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The Accept header's clauses: media type, parameters, the "as" kind asked for, and whether it is one served
    /// (Table, PartialObjectMetadata or PartialObjectMetadataList of meta.k8s.io v1 or v1beta1).
    /// </summary>
    private static IEnumerable<(string MediaType, Dictionary<string, string> Parameters, string? As, bool Known)> Clauses(string accept)
    {
        foreach (var mediaRange in accept.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = mediaRange.Split(';', StringSplitOptions.TrimEntries);
            var parameters = parts.Skip(1).Select(p => p.Split('=', 2)).Where(p => p.Length == 2).GroupBy(p => p[0], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First()[1], StringComparer.Ordinal);
            var kind = parameters.GetValueOrDefault("as");
            var known = kind is "Table" or "PartialObjectMetadata" or "PartialObjectMetadataList"
                && parameters.GetValueOrDefault("g") == "meta.k8s.io" && parameters.GetValueOrDefault("v") is "v1" or "v1beta1";
            yield return (parts[0], parameters, kind, known);
        }
    }
}
