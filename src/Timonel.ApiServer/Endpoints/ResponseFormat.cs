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

    public static ResponseFormat From(HttpRequest request)
    {
        foreach (var mediaRange in request.Headers.Accept.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = mediaRange.Split(';', StringSplitOptions.TrimEntries);
            if (parts[0] is not ("application/json" or "*/*" or "application/*"))
            {
                continue;
            }

            var parameters = parts.Skip(1).Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
            if (!parameters.TryGetValue("as", out var kind))
            {
                return Object;
            }

            if (parameters.GetValueOrDefault("g") != "meta.k8s.io" || parameters.GetValueOrDefault("v") is not ("v1" or "v1beta1") || kind is not ("Table" or "PartialObjectMetadata" or "PartialObjectMetadataList"))
            {
                continue;
            }

            var version = "meta.k8s.io/" + parameters["v"];
            var include = request.Query["includeObject"].ToString() is { Length: > 0 } given ? given : "Metadata";
            return new ResponseFormat(kind, version, kind == "Table" ? new TableRequest(version, include) : null);
        }

        return Object;
    }
}
