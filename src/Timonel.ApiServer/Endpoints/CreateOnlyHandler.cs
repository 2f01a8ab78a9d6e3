using Microsoft.AspNetCore.Http;
using Timonel.ApiServer.Auth;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Endpoints;

/// <summary>
/// Serves a create-only kind (the review APIs): a POST to the collection is read and checked as any create, answered
/// by the kind's <see cref="ICreateOnlyResource"/> with 201 Created (upstream's create handler), and nothing is stored.
/// Other methods get upstream's 405; item URLs and a namespaced kind outside a namespace have no route (404).
/// </summary>
public sealed class CreateOnlyHandler
{
    private readonly CreateOnlyResources _resources;
    private readonly FieldValidation _fieldValidation;

    public CreateOnlyHandler(CreateOnlyResources resources, FieldValidation fieldValidation)
    {
        _resources = resources;
        _fieldValidation = fieldValidation;
    }

    public async Task HandleAsync(HttpContext context, ResourceDefinition definition, RequestInfo info, UserInfo user)
    {
        var resource = _resources.For(definition);
        if (resource is null || info.Name is not null || info.LegacyWatchPath || definition.Namespaced != info.Namespace is not null)
        {
            throw new StatusException(404, "NotFound", "the server could not find the requested resource");
        }

        var request = context.Request;
        if (request.Method != "POST")
        {
            // What go-restful's 405 becomes through upstream's serviceErrorHandler (apierrors.NewGenericServerResponse).
            throw new StatusException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
        }

        var body = await RequestBody.ReadObjectAsync(request, context.RequestAborted);
        ObjectChecks.CheckKind(body, definition);
        _fieldValidation.Check(context, definition, body);
        var dryRun = QueryParameters.DryRun(request, "CreateOptions");
        var metadata = body.Metadata();
        var bodyNamespace = metadata.StringAt("namespace");
        // rest.EnsureObjectNamespaceMatchesRequestNamespace: filled in from the URL, cleared for a cluster-scoped kind.
        if (!string.IsNullOrEmpty(bodyNamespace) && info.Namespace is not null && bodyNamespace != info.Namespace)
        {
            throw StatusException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        if (info.Namespace is not null)
        {
            metadata["namespace"] = info.Namespace;
        }
        else
        {
            metadata.Remove("namespace");
        }

        await ResourceHandler.RespondAsync(context, definition, await resource.CreateAsync(body, info.Namespace, user, dryRun, context.RequestAborted), 201);
    }
}
