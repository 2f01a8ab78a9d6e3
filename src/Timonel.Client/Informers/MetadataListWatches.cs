using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;
using k8s.Models;

namespace Timonel.Client.Informers;

/// <summary>
/// List-watches of any resource that keep only what an owner graph needs of each object (client-go's metadata
/// informers, as the garbage collector uses them): the list asks for a PartialObjectMetadataList, the watch for
/// PartialObjectMetadata, and whatever form the server answers in, only uid, name, namespace, resourceVersion,
/// ownerReferences, finalizers and deletionTimestamp are kept, so a cluster's worth of objects costs little memory.
/// </summary>
public static class MetadataListWatches
{
    // Upstream's metadata client asks for these (client-go/metadata/metadata.go, ConfigFor), with plain JSON after
    // them for servers that cannot reduce an object.
    private const string ListAccept = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";
    private const string WatchAccept = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json";

    /// <summary>client-go's reflector default (minWatchTimeout): each watch asks to end after 5 to 10 minutes.</summary>
    private static readonly TimeSpan _minWatchTimeout = TimeSpan.FromMinutes(5);

    // Free-form custom-resource fields nest deeply (the server accepts 512 levels); only metadata is read of them.
    private static readonly JsonDocumentOptions _jsonOptions = new() { MaxDepth = 1024 };

    /// <param name="groupVersion">"v1" for the core group, else "group/version", as discovery names it.</param>
    /// <param name="resource">The resource's plural name, e.g. "replicasets".</param>
    public static ListWatch<PartialObjectMetadata> For(Kubernetes client, string groupVersion, string resource)
    {
        var path = (groupVersion.Contains('/', StringComparison.Ordinal) ? "apis/" : "api/") + groupVersion + "/" + resource;
        return new ListWatch<PartialObjectMetadata>(
            $"metadata:{groupVersion}/{resource}",
            cancellationToken => ListAsync(client, path, cancellationToken),
            (resourceVersion, onError, cancellationToken) => WatchAsync(client, path, resourceVersion, onError, cancellationToken));
    }

    /// <summary>Only the fields the owner graph reads, so the cache holds no labels, annotations or managedFields.</summary>
    public static PartialObjectMetadata Trim(V1ObjectMeta metadata) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = metadata.Name,
            NamespaceProperty = metadata.NamespaceProperty,
            Uid = metadata.Uid,
            ResourceVersion = metadata.ResourceVersion,
            OwnerReferences = metadata.OwnerReferences,
            Finalizers = metadata.Finalizers,
            DeletionTimestamp = metadata.DeletionTimestamp,
        },
    };

    private static async Task<(IReadOnlyList<PartialObjectMetadata> Items, string ResourceVersion)> ListAsync(Kubernetes client, string path, CancellationToken cancellationToken)
    {
        using var request = Request(client, path, ListAccept);
        using var response = await client.HttpClient.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw Failure(body, response.StatusCode);
        }

        using var document = JsonDocument.Parse(body, _jsonOptions);
        var items = new List<PartialObjectMetadata>();
        if (document.RootElement.TryGetProperty("items", out var listed) && listed.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in listed.EnumerateArray())
            {
                if (Metadata(item) is { } metadata)
                {
                    items.Add(Trim(metadata));
                }
            }
        }

        var resourceVersion = document.RootElement.TryGetProperty("metadata", out var listMeta) && listMeta.TryGetProperty("resourceVersion", out var rv)
            ? rv.GetString() ?? ""
            : "";
        return (items, resourceVersion);
    }

    private static async IAsyncEnumerable<(WatchEventType Type, PartialObjectMetadata Object)> WatchAsync(
        Kubernetes client,
        string path,
        string resourceVersion,
        Action<Exception> onError,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var timeoutSeconds = (int)(_minWatchTimeout.TotalSeconds * (1 + Random.Shared.NextDouble()));
        var query = $"?watch=true&allowWatchBookmarks=true&timeoutSeconds={timeoutSeconds}&resourceVersion={Uri.EscapeDataString(resourceVersion)}";
        using var request = Request(client, path + query, WatchAccept);
        using var response = await client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw Failure(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false), response.StatusCode);
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            using var frame = JsonDocument.Parse(line, _jsonOptions);
            var type = frame.RootElement.TryGetProperty("type", out var t) ? t.GetString() : null;
            if (!frame.RootElement.TryGetProperty("object", out var obj))
            {
                continue;
            }

            if (type == "ERROR")
            {
                // The watch cannot go on (410 Gone: its resourceVersion was compacted away); the server ends it.
                onError(new KubernetesException(KubernetesJson.Deserialize<V1Status>(obj.GetRawText())));
                yield break;
            }

            WatchEventType? eventType = type switch
            {
                "ADDED" => WatchEventType.Added,
                "MODIFIED" => WatchEventType.Modified,
                "DELETED" => WatchEventType.Deleted,
                "BOOKMARK" => WatchEventType.Bookmark,
                _ => null,
            };
            if (eventType is { } known && Metadata(obj) is { } metadata)
            {
                yield return (known, Trim(metadata));
            }
        }
    }

    private static V1ObjectMeta? Metadata(JsonElement obj) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty("metadata", out var metadata)
            ? KubernetesJson.Deserialize<V1ObjectMeta>(metadata.GetRawText())
            : null;

    private static HttpRequestMessage Request(Kubernetes client, string pathAndQuery, string accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(client.BaseUri, pathAndQuery));
        request.Headers.TryAddWithoutValidation("Accept", accept);
        return request;
    }

    private static KubernetesException Failure(string body, System.Net.HttpStatusCode status)
    {
        V1Status? parsed = null;
        try
        {
            parsed = KubernetesJson.Deserialize<V1Status>(body);
        }
        catch (JsonException)
        {
        }

        return new KubernetesException(parsed is { Code: not null } ? parsed : new V1Status { Code = (int)status, Message = body, Status = "Failure" });
    }
}
