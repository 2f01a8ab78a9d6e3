using Microsoft.AspNetCore.Http;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Endpoints;

/// <summary>
/// Routes a request to an object's subresource to the handler its resource declares
/// (<see cref="ResourceDefinition.ServedSubresources"/>): a subresource the resource lacks is a 404, a verb the
/// subresource does not serve a 405.
/// </summary>
public sealed class SubresourceHandler
{
    private readonly SubresourceServices _services;

    public SubresourceHandler(SubresourceServices services) => _services = services;

    public Task HandleAsync(HttpContext context, GenericStore store, string? ns, string name, string subresource)
    {
        var definition = store.Definition;
        // A namespaced resource's subresources exist only under a namespace (/api/v1/pods/NAME/log has no route).
        if (definition.FindSubresource(subresource) is not { } declared || (definition.Namespaced && ns is null))
        {
            throw new StatusException(404, "NotFound", "the server could not find the requested resource");
        }

        var verb = ResourceHandler.VerbName(context.Request.Method, name);
        if (!declared.Serves(verb))
        {
            throw ResourceHandler.MethodNotAllowed(definition, verb);
        }

        return declared.Handler.HandleAsync(new SubresourceRequest(context, store, ns, name, declared, verb, _services));
    }
}
