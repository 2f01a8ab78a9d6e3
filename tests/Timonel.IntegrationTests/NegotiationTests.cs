using System.Net;
using System.Net.Http.Headers;

namespace Timonel.IntegrationTests;

/// <summary>
/// What the server answers for an Accept it cannot serve (406), a body type it cannot read (415) and a method a path
/// does not take (405), each as kube-apiserver answers, and that the Accept headers real clients send keep working.
/// </summary>
public sealed class NegotiationTests : IClassFixture<SqliteClusterFixture>
{
    // negotiation.NewNotAcceptableError with the media types of kube-apiserver 1.32's built-in serializers.
    private const string NotAcceptable = "only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf";

    // kube-apiserver's serviceErrorHandler for go-restful's 405 (apierrors.NewGenericServerResponse).
    private const string RouteNotAllowed = "the server does not allow this method on the requested resource";

    private readonly SqliteClusterFixture _fixture;

    public NegotiationTests(SqliteClusterFixture fixture) => _fixture = fixture;

    [SkippableTheory]
    [InlineData("", 200, "ConfigMapList")]
    [InlineData("*/*", 200, "ConfigMapList")]
    [InlineData("application/*", 200, "ConfigMapList")]
    [InlineData("application/json, */*", 200, "ConfigMapList")]
    [InlineData("application/vnd.kubernetes.protobuf, application/json", 200, "ConfigMapList")]
    [InlineData("application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json", 200, "Table")]
    [InlineData("application/json;as=Table;as=Table;v=v1;g=meta.k8s.io", 200, "Table")]
    [InlineData("application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io", 200, "PartialObjectMetadataList")]
    [InlineData("text/html", 406, NotAcceptable)]
    [InlineData("text/html, image/png;q=0.9", 406, NotAcceptable)]
    [InlineData("application/json;as=Gizmo;v=v1;g=meta.k8s.io", 406, NotAcceptable)]
    public async Task List_AcceptHeader_ServedOrNotAcceptable(string accept, int code, string kindOrMessage)
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        using var http = _fixture.Cluster.CreateAdminHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces/default/configmaps");
        request.Headers.TryAddWithoutValidation("Accept", accept);

        using var response = await http.SendAsync(request);
        var body = await ApiHttp.ReadObjectAsync(response);

        Assert.Equal(code, (int)response.StatusCode);
        Assert.Equal(kindOrMessage, code == 200 ? body?["kind"]?.GetValue<string>() : body?["message"]?.GetValue<string>());
    }

    /// <summary>A metadata-only informer's watch (the garbage collector's) gets PartialObjectMetadata, not whole objects.</summary>
    [SkippableFact]
    public async Task Watch_PartialObjectMetadataAccept_EventsCarryOnlyMetadata()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        using var http = _fixture.Cluster.CreateAdminHttpClient();
        var ns = await _fixture.Cluster.CreateNamespaceAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps?watch=true&timeoutSeconds=30");
        request.Headers.TryAddWithoutValidation("Accept", "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        (await _fixture.Cluster.Kubectl.RunWithInputAsync(TestCluster.ConfigMapYaml("watched"), "create", "-n", ns, "-f", "-")).EnsureSuccess();
        // The namespace's kube-root-ca.crt may come first: read until the ConfigMap created here.
        System.Text.Json.Nodes.JsonNode ev;
        do
        {
            var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            ev = System.Text.Json.Nodes.JsonNode.Parse(line!)!;
        }
        while (ev["object"]?["metadata"]?["name"]?.GetValue<string>() is not "watched");

        Assert.Equal("ADDED", ev["type"]?.GetValue<string>());
        Assert.Equal(("PartialObjectMetadata", "meta.k8s.io/v1"), (ev["object"]?["kind"]?.GetValue<string>(), ev["object"]?["apiVersion"]?.GetValue<string>()));
        Assert.Equal("watched", ev["object"]?["metadata"]?["name"]?.GetValue<string>());
        Assert.Null(ev["object"]?["data"]);
    }

    [SkippableFact]
    public async Task Delete_UnservableAccept_NotAcceptableBeforeDeleting()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        using var http = _fixture.Cluster.CreateAdminHttpClient();
        var ns = await _fixture.Cluster.CreateNamespaceAsync();
        (await _fixture.Cluster.Kubectl.RunWithInputAsync(TestCluster.ConfigMapYaml("kept"), "create", "-n", ns, "-f", "-")).EnsureSuccess();
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/configmaps/kept");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));

        using var response = await http.SendAsync(request);
        using var after = await http.GetAsync($"/api/v1/namespaces/{ns}/configmaps/kept");

        Assert.Equal((HttpStatusCode.NotAcceptable, HttpStatusCode.OK), (response.StatusCode, after.StatusCode));
    }

    // "*/*" names no serializer; ";" is no media type at all (mime.ParseMediaType fails), unlike a missing header.
    [SkippableTheory]
    [InlineData("*/*")]
    [InlineData(";")]
    [InlineData("; charset=utf-8")]
    public async Task Create_ContentTypeNamingNoSerializer_UnsupportedMediaType(string contentType)
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        using var http = _fixture.Cluster.CreateAdminHttpClient();
        using var content = new StringContent("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"wildcard"}}""");
        content.Headers.ContentType = null;
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await http.PostAsync("/api/v1/namespaces/default/configmaps", content);
        var status = await ApiHttp.ReadObjectAsync(response);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(
            "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf",
            status?["message"]?.GetValue<string>());
    }

    [SkippableTheory]
    [InlineData("DELETE", "/version", 405)]
    [InlineData("PUT", "/api", 405)]
    [InlineData("POST", "/api/v1", 405)]
    [InlineData("DELETE", "/apis/apps/v1", 405)]
    [InlineData("PUT", "/api/v1/namespaces/default/configmaps", 405)]
    [InlineData("PATCH", "/api/v1/namespaces/default/configmaps", 405)]
    [InlineData("POST", "/api/v1/namespaces/default/configmaps/kube-root-ca.crt", 405)]
    [InlineData("DELETE", "/api/v1/namespaces", 405)]
    [InlineData("PUT", "/api/v1/namespaces/default/pods/web/log", 405)]
    [InlineData("DELETE", "/apis/apps/v1/namespaces/default/deployments/web/scale", 405)]
    [InlineData("GET", "/api/v1/namespaces/default/pods/web/nosuch", 404)]
    [InlineData("POST", "/healthz", 200)]
    [InlineData("GET", "/version", 200)]
    public async Task Send_Method_AnswersAsUpstreamRoutes(string method, string path, int code)
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        using var http = _fixture.Cluster.CreateAdminHttpClient();

        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = method is "GET" or "DELETE" ? null : ApiHttp.Json("{}") });
        var status = await ApiHttp.ReadObjectAsync(response);

        Assert.Equal(code, (int)response.StatusCode);
        if (code == 405)
        {
            Assert.Equal(("MethodNotAllowed", RouteNotAllowed), (status?["reason"]?.GetValue<string>(), status?["message"]?.GetValue<string>()));
            Assert.Equal("405: Method Not Allowed", status?["details"]?["causes"]?[0]?["message"]?.GetValue<string>());
        }
    }
}
