using Timonel.ApiServer.Registry;
using Timonel.ApiServer.Registry.Core;

namespace Timonel.ApiServer.Endpoints.Subresources;

/// <summary>PUT namespaces/NAME/finalize: the only way to change spec.finalizers (upstream's FinalizeREST).</summary>
public sealed class NamespaceFinalizeSubresource : ISubresourceHandler
{
    public static SubresourceDefinition Definition { get; } = new()
    {
        Name = "finalize",
        Verbs = ["update"],
        Handler = new NamespaceFinalizeSubresource(),
    };

    public async Task HandleAsync(SubresourceRequest request)
    {
        var context = request.Context;
        var definition = request.Definition;
        var finalized = await RequestBody.ReadObjectAsync(context.Request, request.CancellationToken);
        ObjectChecks.CheckKind(finalized, definition);
        var updated = await request.Store.UpdateAsync(request.Namespace, request.Name, finalized, new NamespaceFinalizeStrategy(definition.Strategy), request.DryRun, request.CancellationToken);
        await ResourceHandler.RespondAsync(context, definition, updated, 200);
    }
}
