using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Endpoints.Subresources;

/// <summary>
/// POST pods/NAME/eviction with a policy/v1 Eviction (policy/v1beta1 accepted too, as upstream's
/// AcceptsGroupVersion): what kubectl drain sends (see <see cref="PodEviction"/>). Answers 201 with a Status Success.
/// </summary>
public sealed class PodEvictionSubresource : ISubresourceHandler
{
    public static SubresourceDefinition Definition { get; } = new()
    {
        Name = "eviction",
        Verbs = ["create"],
        Handler = new PodEvictionSubresource(),
        Kind = "Eviction",
        Group = "policy",
        Version = "v1",
    };

    public async Task HandleAsync(SubresourceRequest request)
    {
        var body = await RequestBody.ReadObjectAsync(request.Context.Request, request.CancellationToken);
        ObjectChecks.CheckTypeMeta(body, "policy/v1", "Eviction", "policy/v1beta1");
        var eviction = new PodEviction(request.Services.Registry, request.Services.Time);
        await eviction.EvictAsync(request.Namespace!, request.Name, body, request.DryRun, request.CancellationToken);
        await JsonResponse.WriteAsync(request.Context, SuccessStatus.Of(201), 201);
    }
}
