using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Endpoints.Subresources;

/// <summary>/status: the object read, replaced or patched through a strategy that only changes status.</summary>
public sealed class StatusSubresource : ISubresourceHandler
{
    public static SubresourceDefinition Definition { get; } = new()
    {
        Name = "status",
        Verbs = ["get", "patch", "update"],
        Handler = new StatusSubresource(),
    };

    public Task HandleAsync(SubresourceRequest request) => ServeAsync(request, new StatusStrategy(request.Definition.Strategy), "status");

    /// <summary>
    /// Serves a subresource that is the object itself written through <paramref name="strategy"/> (status, a CSR's
    /// approval): get reads it, update replaces and patch patches it, the managed fields under <paramref name="subresource"/>.
    /// </summary>
    internal static async Task ServeAsync(SubresourceRequest request, IResourceStrategy strategy, string subresource)
    {
        var (context, store, ns, name) = (request.Context, request.Store, request.Namespace, request.Name);
        var definition = request.Definition;
        switch (request.Verb)
        {
            case "get":
                await ResourceHandler.RespondAsync(context, definition, await store.GetAsync(ns, name, request.CancellationToken), 200);
                break;
            case "update":
                var body = await RequestBody.ReadObjectAsync(context.Request, request.CancellationToken);
                ObjectChecks.CheckKind(body, definition);
                request.Services.FieldValidation.Check(context, definition, body);
                var owner = QueryParameters.FieldOwner(context.Request, definition, "UpdateOptions", subresource);
                await ResourceHandler.RespondAsync(context, definition, await store.UpdateAsync(ns, name, body, strategy, request.DryRun, request.CancellationToken, owner), 200);
                break;
            default:
                await ResourceHandler.RespondAsync(context, definition, await request.Services.Patches.PatchAsync(context, store, ns, name, strategy, subresource), 200);
                break;
        }
    }
}
