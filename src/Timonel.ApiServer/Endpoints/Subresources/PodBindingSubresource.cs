using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Endpoints.Subresources;

/// <summary>POST pods/NAME/binding with a v1 Binding: what a scheduler sends to place a pod (see <see cref="PodBinding"/>).</summary>
public sealed class PodBindingSubresource : ISubresourceHandler
{
    public static SubresourceDefinition Definition { get; } = new()
    {
        Name = "binding",
        Verbs = ["create"],
        Handler = new PodBindingSubresource(),
        Kind = "Binding",
    };

    public async Task HandleAsync(SubresourceRequest request)
    {
        var body = await RequestBody.ReadObjectAsync(request.Context.Request, request.CancellationToken);
        ObjectChecks.CheckTypeMeta(body, "v1", "Binding");
        await PodBinding.BindAsync(request.Store, request.Namespace!, request.Name, body, request.DryRun, request.Services.Time, request.CancellationToken);
        await JsonResponse.WriteAsync(request.Context, SuccessStatus.Of(201), 201);
    }
}
