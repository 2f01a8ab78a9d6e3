using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.OpenApi;
using Timonel.ApiServer.Registry;

namespace Timonel.OpenApi.Tests;

/// <summary>
/// Just enough of an API server on 127.0.0.1 (plain HTTP, random port) for the real kubectl: legacy discovery from
/// the catalog, the OpenAPI documents of <see cref="OpenApiService"/> (/openapi/v2 through the server's endpoint), and for objects a GET that always answers 404
/// and a POST that echoes the body back as created — recording every write with its query string.
/// </summary>
internal sealed class FakeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeApiServer(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    public ConcurrentQueue<string> Writes { get; } = new();

    public ConcurrentQueue<string> Requests { get; } = new();

    public static async Task<FakeApiServer> StartAsync(IReadOnlyList<ResourceDefinition> resources, OpenApiService openApi)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeApiServer(app);
        app.Use(async (context, next) =>
        {
            server.Requests.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString} Accept={context.Request.Headers.Accept}");
            await next(context);
        });

        app.MapGet("/version", () => Results.Json(new JsonObject { ["major"] = "1", ["minor"] = "32", ["gitVersion"] = "v1.32.0" }));
        app.MapGet("/api", () => Results.Json(new JsonObject { ["kind"] = "APIVersions", ["versions"] = new JsonArray("v1") }));
        app.MapGet("/apis", () => Results.Json(Groups(resources)));
        app.MapGet("/api/v1", () => Results.Json(ResourceList("v1", resources.Where(r => r.Group.Length == 0))));
        app.MapGet("/apis/{group}/{version}", (string group, string version) =>
        {
            var served = resources.Where(r => r.Group == group && r.Version == version).ToList();
            return served.Count == 0 ? Results.NotFound() : Results.Json(ResourceList($"{group}/{version}", served));
        });
        app.MapGet("/openapi/v3", () => Results.Bytes(openApi.V3Index(), "application/json"));
        app.MapGet("/openapi/v3/{**path}", (string path) => openApi.V3GroupVersion(path) is { } doc ? Results.Bytes(doc, "application/json") : Results.NotFound());
        // /openapi/v2 as the API server serves it: JSON or gnostic's protobuf by Accept.
        var openApiEndpoints = new OpenApiEndpoints(openApi);
        app.MapGet("/openapi/v2", async context => await openApiEndpoints.TryServeAsync(context, "/openapi/v2"));
        // kubectl's client-side validation first asks whether the kind is a custom resource (k8s.io/kubectl/pkg/validation).
        app.MapGet("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", () => Results.Json(new JsonObject
        {
            ["kind"] = "CustomResourceDefinitionList",
            ["apiVersion"] = "apiextensions.k8s.io/v1",
            ["metadata"] = new JsonObject(),
            ["items"] = new JsonArray(),
        }));
        app.MapGet("/{**path}", () => Results.Json(
            new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Failure", ["reason"] = "NotFound", ["code"] = 404 },
            statusCode: StatusCodes.Status404NotFound));
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            server.Writes.Enqueue($"POST {context.Request.Path}{context.Request.QueryString}");
            var body = await JsonNode.ParseAsync(context.Request.Body);
            return Results.Json(body, statusCode: StatusCodes.Status201Created);
        });

        await app.StartAsync();
        server.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static JsonObject Groups(IReadOnlyList<ResourceDefinition> resources)
    {
        var groups = new JsonArray();
        foreach (var group in resources.Where(r => r.Group.Length > 0).GroupBy(r => r.Group))
        {
            var version = group.First().Version;
            var gv = new JsonObject { ["groupVersion"] = $"{group.Key}/{version}", ["version"] = version };
            groups.Add(new JsonObject { ["name"] = group.Key, ["versions"] = new JsonArray(gv), ["preferredVersion"] = gv.DeepClone() });
        }

        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    private static JsonObject ResourceList(string groupVersion, IEnumerable<ResourceDefinition> resources)
    {
        var list = new JsonArray();
        foreach (var r in resources)
        {
            list.Add(new JsonObject
            {
                ["name"] = r.Plural,
                ["singularName"] = r.Singular,
                ["namespaced"] = r.Namespaced,
                ["kind"] = r.Kind,
                ["verbs"] = new JsonArray("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"),
                ["shortNames"] = new JsonArray([.. r.ShortNames.Select(s => JsonValue.Create(s))]),
            });
        }

        return new JsonObject { ["kind"] = "APIResourceList", ["apiVersion"] = "v1", ["groupVersion"] = groupVersion, ["resources"] = list };
    }
}
