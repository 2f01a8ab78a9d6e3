using System.Net;
using System.Text;
using k8s;
using Timonel.Client.Informers;

namespace Timonel.Client.Tests.Informers;

public sealed class CoreListWatchesTests
{
    [Fact]
    public async Task Watch_FromAVersion_AsksForBookmarksAndATimeoutOfFiveToTenMinutes()
    {
        using var server = new RecordingHandler();
        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = "https://127.0.0.1:6443" }, server);

        var events = new List<WatchEventType>();
        await foreach (var (type, _) in CoreListWatches.ConfigMaps(client, "metadata.name=kube-root-ca.crt").Watch("42", _ => { }, CancellationToken.None))
        {
            events.Add(type);
        }

        var query = System.Web.HttpUtility.ParseQueryString(Assert.Single(server.Requests).Query);
        Assert.Equal("/api/v1/configmaps", server.Requests[0].AbsolutePath);
        Assert.Equal(("true", "true", "42", "metadata.name=kube-root-ca.crt"), (query["watch"], query["allowWatchBookmarks"], query["resourceVersion"], query["fieldSelector"]));
        Assert.InRange(int.Parse(query["timeoutSeconds"]!, System.Globalization.CultureInfo.InvariantCulture), 300, 600);
        Assert.Equal([WatchEventType.Bookmark], events);
    }

    /// <summary>Answers every request with a watch stream of one bookmark, then its end, and records where it went.</summary>
    private sealed class RecordingHandler : DelegatingHandler
    {
        private const string Bookmark = """{"type":"BOOKMARK","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"resourceVersion":"43"}}}""" + "\n";

        public List<Uri> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request.RequestUri!);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request, Content = new StringContent(Bookmark, Encoding.UTF8, "application/json") });
        }
    }
}
