using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Timonel.Controllers.GarbageCollector;

/// <summary>
/// The garbage collector's reads and writes of objects of any kind, by identity (upstream's metadataClient): GET of
/// metadata only, DELETE with preconditions and a propagation policy, JSON merge patches of metadata. A 404 is an
/// answer (the object is gone), any other failure throws so the work is retried.
/// </summary>
internal sealed class MetadataClient
{
    private const string MetadataAccept = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json";

    private readonly Kubernetes _client;
    private readonly ResourceMapper _mapper;

    public MetadataClient(Kubernetes client, ResourceMapper mapper)
    {
        _client = client;
        _mapper = mapper;
    }

    /// <summary>The resource and scope of a kind (throws while discovery does not know it).</summary>
    public ApiResource Resource(string apiVersion, string kind) => _mapper.Find(apiVersion, kind);

    /// <summary>The object's current metadata, or null when nothing has that name.</summary>
    public async Task<V1ObjectMeta?> GetAsync(ObjectIdentity identity, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, UriOf(identity));
        request.Headers.TryAddWithoutValidation("Accept", MetadataAccept);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        var body = await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        var metadata = JsonNode.Parse(body)?["metadata"];
        return metadata is null ? null : KubernetesJson.Deserialize<V1ObjectMeta>(metadata.ToJsonString());
    }

    /// <summary>Deletes the object if it still has the UID (and resourceVersion, when given); false when it is gone.</summary>
    public async Task<bool> DeleteAsync(ObjectIdentity identity, string? resourceVersion, string policy, CancellationToken cancellationToken)
    {
        var preconditions = new JsonObject { ["uid"] = identity.Uid };
        if (resourceVersion is not null)
        {
            preconditions["resourceVersion"] = resourceVersion;
        }

        var options = new JsonObject
        {
            ["kind"] = "DeleteOptions",
            ["apiVersion"] = "v1",
            ["preconditions"] = preconditions,
            ["propagationPolicy"] = policy,
        };
        using var request = new HttpRequestMessage(HttpMethod.Delete, UriOf(identity))
        {
            Content = new StringContent(options.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Applies a JSON merge patch to the object; false when it is gone.</summary>
    public async Task<bool> MergePatchAsync(ObjectIdentity identity, JsonObject patch, CancellationToken cancellationToken) =>
        await PatchAsync(identity, patch, "application/merge-patch+json", cancellationToken).ConfigureAwait(false)
        ?? throw new HttpRequestException($"PATCH {identity}: merge patch not supported", null, HttpStatusCode.UnsupportedMediaType);

    /// <summary>
    /// Applies a strategic merge patch: true once applied, false when the object is gone, null when the resource does
    /// not serve strategic merge patch (custom resources answer 415), for the caller to fall back on a merge patch.
    /// </summary>
    public Task<bool?> TryStrategicPatchAsync(ObjectIdentity identity, JsonObject patch, CancellationToken cancellationToken) =>
        PatchAsync(identity, patch, "application/strategic-merge-patch+json", cancellationToken);

    private async Task<bool?> PatchAsync(ObjectIdentity identity, JsonObject patch, string contentType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, UriOf(identity))
        {
            Content = new StringContent(patch.ToJsonString(), Encoding.UTF8, contentType),
        };
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        switch (response.StatusCode)
        {
            case HttpStatusCode.NotFound:
                return false;
            case HttpStatusCode.UnsupportedMediaType:
                return null;
            default:
                await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
                return true;
        }
    }

    private static async Task<string> EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath}: {(int)response.StatusCode} {body}", null, response.StatusCode);
        }

        return body;
    }

    // An owner's namespace is the dependent's when the owner's kind is namespaced, none when it is cluster-scoped
    // (resourceDefaultNamespace in garbagecollector.go).
    private Uri UriOf(ObjectIdentity identity)
    {
        var resource = Resource(identity.ApiVersion, identity.Kind);
        return new Uri(_client.BaseUri, resource.PathOf(resource.Namespaced ? identity.Namespace : null, identity.Name).TrimStart('/'));
    }

    private Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _client.HttpClient.SendAsync(request, cancellationToken);
}
