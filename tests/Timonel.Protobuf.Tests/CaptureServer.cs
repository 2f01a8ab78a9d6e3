using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Timonel.Api.Protobuf;

namespace Timonel.Protobuf.Tests;

/// <summary>Just enough of an API server for `kubectl create`: legacy discovery for the resources the tests
/// create, and a POST handler that records the body and answers 201 with its decoded JSON.</summary>
public sealed class CaptureServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private CaptureServer(WebApplication app) => _app = app;

    public ConcurrentQueue<CapturedRequest> Requests { get; } = new();

    public string Url => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    public static async Task<CaptureServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new CaptureServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        if (HttpMethods.IsGet(request.Method) && Discovery.Documents.TryGetValue(path, out var document))
        {
            await WriteJsonAsync(context, StatusCodes.Status200OK, document);
            return;
        }
        if (!HttpMethods.IsPost(request.Method))
        {
            await WriteJsonAsync(context, StatusCodes.Status404NotFound, Discovery.NotFound(path));
            return;
        }
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        Requests.Enqueue(new CapturedRequest(request.Method, path, request.ContentType, body.ToArray()));
        JsonObject created;
        try
        {
            created = KubernetesProtobuf.IsProtobuf(request.ContentType)
                ? KubernetesProtobuf.Decode(body.ToArray())
                : JsonNode.Parse(body.ToArray())!.AsObject();
        }
        catch (KubernetesProtobufException e)
        {
            await WriteJsonAsync(context, StatusCodes.Status415UnsupportedMediaType, Discovery.Failure(e.Message, 415));
            return;
        }
        await WriteJsonAsync(context, StatusCodes.Status201Created, created.ToJsonString());
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json);
    }
}
