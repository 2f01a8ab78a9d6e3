using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;

namespace Timonel.Testing.Api;

/// <summary>
/// A real KubernetesClient (<see cref="Client"/>) whose requests never leave the process: each is recorded and
/// answered from a table the test fills, or else by default as a server that accepts everything would answer:
/// GET 404 NotFound; POST 201 and PUT/PATCH 200 echoing the body sent; DELETE 200 with a Success Status.
/// </summary>
public sealed class FakeApiServer : IDisposable
{
    private readonly Lock _lock = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly Dictionary<(string Method, string Path), (HttpStatusCode Status, string Body)> _answers = [];

    public FakeApiServer() => Client = new Kubernetes(new KubernetesClientConfiguration { Host = "https://fake-apiserver:6443" }, new Handler(this));

    /// <summary>The client to give the code under test.</summary>
    public Kubernetes Client { get; }

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>"METHOD path" of every request so far, in order: what a test compares.</summary>
    public IReadOnlyList<string> Calls => [.. Requests.Select(r => r.ToString())];

    /// <summary>
    /// Answers <paramref name="method"/> on <paramref name="path"/> with <paramref name="body"/> from now on.
    /// A path with a query matches that query only; one without matches whatever the query.
    /// </summary>
    public void Answer(HttpMethod method, string path, HttpStatusCode status, object body)
    {
        lock (_lock)
        {
            _answers[(method.Method, path)] = (status, body as string ?? KubernetesJson.Serialize(body));
        }
    }

    /// <summary>Answers with a failure Status, as the API server words one (e.g. 409 AlreadyExists).</summary>
    public void Fail(HttpMethod method, string path, HttpStatusCode status, string reason) =>
        Answer(method, path, status, Status(status, reason));

    public void Dispose() => Client.Dispose();

    // KubernetesClient reads a Status but cannot write one (its V1Status converter only reads), hence JSON by hand.
    private static string Status(HttpStatusCode status, string reason) => new JsonObject
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["status"] = status < HttpStatusCode.BadRequest ? "Success" : "Failure",
        ["reason"] = reason,
        ["message"] = reason,
        ["code"] = (int)status,
    }.ToJsonString();

    private async Task<HttpResponseMessage> RespondAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        (HttpStatusCode Status, string Body) answer;
        lock (_lock)
        {
            _requests.Add(new RecordedRequest(request.Method.Method, uri.PathAndQuery, body));
            if (!_answers.TryGetValue((request.Method.Method, uri.PathAndQuery), out answer) && !_answers.TryGetValue((request.Method.Method, uri.AbsolutePath), out answer))
            {
                answer = Default(request.Method, body);
            }
        }

        return new HttpResponseMessage(answer.Status) { RequestMessage = request, Content = new StringContent(answer.Body, Encoding.UTF8, "application/json") };
    }

    private static (HttpStatusCode, string) Default(HttpMethod method, string? body) => method.Method switch
    {
        "GET" => (HttpStatusCode.NotFound, Status(HttpStatusCode.NotFound, "NotFound")),
        "POST" => (HttpStatusCode.Created, body ?? "{}"),
        "DELETE" => (HttpStatusCode.OK, Status(HttpStatusCode.OK, "")),
        _ => (HttpStatusCode.OK, body ?? "{}"),
    };

    // The end of the client's handler chain: it answers instead of sending.
    private sealed class Handler(FakeApiServer server) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            server.RespondAsync(request, cancellationToken);
    }
}
