using System.Net;
using k8s;
using Timonel.Client.Informers;
using Timonel.Testing.Api;

namespace Timonel.Client.Tests.Informers;

public sealed class MetadataListWatchesTests : IDisposable
{
    private const string Path = "/apis/apps/v1/replicasets";
    private readonly FakeApiServer _api = new();

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task List_FullObjects_KeepsOnlyWhatTheOwnerGraphReads()
    {
        _api.Answer(HttpMethod.Get, Path, HttpStatusCode.OK, """
            {"kind":"ReplicaSetList","apiVersion":"apps/v1","metadata":{"resourceVersion":"42"},"items":[
              {"metadata":{"name":"web","namespace":"ns-1","uid":"rs-1","resourceVersion":"40","labels":{"app":"web"},
                "annotations":{"a":"b"},"managedFields":[{"manager":"kubectl"}],"finalizers":["orphan"],
                "ownerReferences":[{"apiVersion":"apps/v1","kind":"Deployment","name":"web","uid":"d-1"}]},
               "spec":{"replicas":3}}]}
            """);

        var (items, resourceVersion) = await MetadataListWatches.For(_api.Client, "apps/v1", "replicasets").List(CancellationToken.None);

        var metadata = Assert.Single(items).Metadata;
        Assert.Equal("42", resourceVersion);
        Assert.Equal(("web", "ns-1", "rs-1", "40"), (metadata.Name, metadata.NamespaceProperty, metadata.Uid, metadata.ResourceVersion));
        Assert.Equal(["orphan"], metadata.Finalizers);
        Assert.Equal("d-1", Assert.Single(metadata.OwnerReferences).Uid);
        Assert.Null(metadata.Labels);
        Assert.Null(metadata.Annotations);
        Assert.Null(metadata.ManagedFields);
        Assert.Equal($"GET {Path}", Assert.Single(_api.Calls));
    }

    [Fact]
    public async Task Watch_ErrorEvent_ReportsTheStatusAndEnds()
    {
        _api.Answer(HttpMethod.Get, Path, HttpStatusCode.OK, """
            {"type":"ADDED","object":{"kind":"ReplicaSet","metadata":{"name":"web","namespace":"ns-1","uid":"rs-1","resourceVersion":"43"}}}
            {"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Expired","code":410}}
            {"type":"ADDED","object":{"kind":"ReplicaSet","metadata":{"name":"late","namespace":"ns-1","uid":"rs-2"}}}
            """);
        var errors = new List<Exception>();

        var events = new List<(WatchEventType, string)>();
        await foreach (var (type, obj) in MetadataListWatches.For(_api.Client, "apps/v1", "replicasets").Watch("42", errors.Add, CancellationToken.None))
        {
            events.Add((type, obj.Metadata.Name));
        }

        Assert.Equal([(WatchEventType.Added, "web")], events);
        Assert.Equal(410, Assert.IsType<KubernetesException>(Assert.Single(errors)).Status.Code);
        Assert.StartsWith($"GET {Path}?watch=true&allowWatchBookmarks=true&timeoutSeconds=", _api.Calls.Single(), StringComparison.Ordinal);
        Assert.EndsWith("&resourceVersion=42", _api.Calls.Single(), StringComparison.Ordinal);
    }
}
