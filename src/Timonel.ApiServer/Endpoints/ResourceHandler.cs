using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Timonel.ApiServer.Auth;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;
using Timonel.ApiServer.Registry;
using Timonel.ApiServer.Registry.CustomResources;
using Timonel.ApiServer.Watch;

namespace Timonel.ApiServer.Endpoints;

/// <summary>
/// Serves /api/v1/... and /apis/GROUP/VERSION/...: maps the HTTP method and URL to a store verb
/// (get, list, watch, create, update, patch, delete, deletecollection) and the answer to the wire form asked for.
/// </summary>
public sealed class ResourceHandler
{
    private readonly StoreRegistry _registry;
    private readonly WatchStreamer _watches;
    private readonly PatchHandler _patches;
    private readonly SubresourceHandler _subresources;
    private readonly FieldValidation _fieldValidation;
    private readonly CreateOnlyHandler _createOnly;

    public ResourceHandler(StoreRegistry registry, WatchStreamer watches, PatchHandler patches, SubresourceHandler subresources, FieldValidation fieldValidation, CreateOnlyHandler createOnly)
    {
        _createOnly = createOnly;
        _registry = registry;
        _fieldValidation = fieldValidation;
        _watches = watches;
        _patches = patches;
        _subresources = subresources;
    }

    /// <summary>Answers a resource request by <paramref name="user"/> (already authorized).</summary>
    public async Task HandleAsync(HttpContext context, RequestInfo info, UserInfo user)
    {
        if (_registry.FindCreateOnly(info.Group, info.Version, info.Resource) is { } createOnly)
        {
            ResponseFormat.EnsureAcceptable(context.Request);
            await _createOnly.HandleAsync(context, createOnly, info, user);
            return;
        }

        var store = _registry.Find(info.Group, info.Version, info.Resource)
            ?? throw new StatusException(404, "NotFound", "the server could not find the requested resource");
        var definition = store.Definition;
        if (info.Namespace is not null && !definition.Namespaced && info.Resource != "namespaces")
        {
            throw new StatusException(404, "NotFound", "the server could not find the requested resource");
        }

        // Pods' log and streams answer in their own media types, not a serializer's.
        if (info.Subresource is null || definition.FindSubresource(info.Subresource) is not { Streams: true })
        {
            ResponseFormat.EnsureAcceptable(context.Request);
        }

        // A namespace addressed as /api/v1/namespaces/NAME: the name, not a namespace scope.
        var ns = definition.Namespaced ? info.Namespace : null;
        var request = context.Request;
        var cancellationToken = context.RequestAborted;
        if (info.Subresource is not null)
        {
            await _subresources.HandleAsync(context, store, ns, info.Name!, info.Subresource);
            return;
        }

        switch (request.Method)
        {
            case "GET" when info.Name is not null && !info.LegacyWatchPath && ResponseFormat.From(request) == ResponseFormat.Object:
                ListOptionsReader.CheckResourceVersion(request.Query["resourceVersion"].FirstOrDefault());
                await JsonResponse.WriteAsync(context, await store.GetServedJsonAsync(ns, info.Name, cancellationToken), 200);
                break;
            case "GET" when info.Name is not null && !info.LegacyWatchPath:
                ListOptionsReader.CheckResourceVersion(request.Query["resourceVersion"].FirstOrDefault());
                await RespondAsync(context, definition, await store.GetAsync(ns, info.Name, cancellationToken), 200);
                break;
            case "GET" when info.LegacyWatchPath || ListOptionsReader.IsWatch(request.Query):
                await _watches.StreamAsync(context, WatchRequestFrom(context, definition, ns, info.Name));
                break;
            case "GET":
                var listQuery = ListOptionsReader.Read(request, definition, watch: false);
                if (ResponseFormat.From(request) == ResponseFormat.Object && await store.ListServedJsonAsync(ns, listQuery, cancellationToken) is { } served)
                {
                    await JsonResponse.WriteAsync(context, served, 200);
                    break;
                }

                await RespondListAsync(context, definition, await store.ListAsync(ns, listQuery, cancellationToken));
                break;
            case "POST" when info.Name is null:
                var body = await RequestBody.ReadObjectAsync(request, cancellationToken);
                ObjectChecks.CheckKind(body, definition);
                _fieldValidation.Check(context, definition, body);
                await RespondAsync(context, definition, await store.CreateAsync(ns, body, QueryParameters.DryRun(request, "CreateOptions"), cancellationToken, QueryParameters.FieldOwner(request, definition, "CreateOptions")), 201);
                break;
            case "PUT" when info.Name is not null:
                var replacement = await RequestBody.ReadObjectAsync(request, cancellationToken);
                ObjectChecks.CheckKind(replacement, definition);
                _fieldValidation.Check(context, definition, replacement);
                await RespondAsync(context, definition, await store.UpdateAsync(ns, info.Name, replacement, definition.Strategy, QueryParameters.DryRun(request, "UpdateOptions"), cancellationToken, QueryParameters.FieldOwner(request, definition, "UpdateOptions")), 200);
                break;
            case "PATCH" when info.Name is not null:
                await RespondAsync(context, definition, await _patches.PatchAsync(context, store, ns, info.Name, definition.Strategy), 200);
                break;
            case "DELETE" when info.Name is not null:
                var options = await QueryParameters.DeleteOptionsAsync(request, definition, cancellationToken);
                var (deleted, removed) = await store.DeleteAsync(ns, info.Name, options, cancellationToken);
                // Upstream's delete handler: 200 even when the object lingers (a terminating namespace, a pod in its
                // grace period); 202 only when it lingers and the client asked orphanDependents=false.
                await RespondAsync(context, definition, deleted, !removed && options.OrphanDependents == false ? 202 : 200);
                break;
            case "DELETE" when definition.Kind != "Namespace":
                // The list options are read and checked before the delete options, as upstream's DeleteCollection does.
                var collectionQuery = ListOptionsReader.Read(request, definition, watch: false);
                var collectionOptions = await QueryParameters.DeleteOptionsAsync(request, definition, cancellationToken);
                await RespondListAsync(context, definition, await store.DeleteCollectionAsync(ns, collectionQuery, collectionOptions, cancellationToken));
                break;
            default:
                throw MethodNotAllowed(definition, VerbName(request.Method, info.Name));
        }
    }

    /// <summary>
    /// A method the resource does not serve at this path. Built-in resources are go-restful routes, which answer a
    /// generic 405; custom resources go through the CRD handler, which names the verb (apiextensions-apiserver
    /// customresource_handler.go, apierrors.NewMethodNotSupported).
    /// </summary>
    public static StatusException MethodNotAllowed(ResourceDefinition definition, string verb) => definition.Strategy is CustomResourceStrategy
        ? StatusException.MethodNotSupported(definition.Group, definition.Plural, verb)
        : StatusException.RouteMethodNotAllowed();

    /// <summary>Writes one object in the representation the Accept header asks for.</summary>
    public static Task RespondAsync(HttpContext context, ResourceDefinition definition, JsonObject obj, int status)
    {
        var format = ResponseFormat.From(context.Request);
        JsonObject body = format switch
        {
            { Table: { } table } => TableConverter.Convert(definition.Strategy.Columns, [obj], table, obj.ResourceVersion(), null),
            { IsPartialMetadata: true } => TableConverter.PartialMetadata(obj, format.MetaVersion),
            _ => obj,
        };
        return JsonResponse.WriteAsync(context, body, status);
    }

    private static Task RespondListAsync(HttpContext context, ResourceDefinition definition, JsonObject list)
    {
        var format = ResponseFormat.From(context.Request);
        var items = list["items"]!.AsArray().Objects();
        var metadata = list["metadata"]!;
        JsonObject body = format switch
        {
            { Table: { } table } => TableConverter.Convert(definition.Strategy.Columns, items, table, metadata.StringAt("resourceVersion"), metadata.StringAt("continue")),
            { IsPartialMetadata: true } => new JsonObject
            {
                ["kind"] = "PartialObjectMetadataList",
                ["apiVersion"] = format.MetaVersion,
                ["metadata"] = metadata.DeepClone(),
                ["items"] = new JsonArray([.. items.Select(i => (JsonNode)TableConverter.PartialMetadata(i, format.MetaVersion))]),
            },
            _ => list,
        };
        return JsonResponse.WriteAsync(context, body, 200);
    }

    private static WatchRequest WatchRequestFrom(HttpContext context, ResourceDefinition definition, string? ns, string? name)
    {
        var request = context.Request;
        var query = ListOptionsReader.Read(request, definition, watch: true);
        // A watch of one object is decided on the key: every event passes it before the object filter, so the name
        // needs no check of the decoded object, and without selectors the watch shares the pre-encoded frames.
        var keyFilter = query.KeyFilter;
        if (name is not null)
        {
            var byKey = keyFilter;
            keyFilter = (ns, keyName) => keyName == name && (byKey is null || byKey(ns, keyName));
        }

        var format = ResponseFormat.From(request);
        return new WatchRequest
        {
            Definition = definition,
            Namespace = ns,
            Filter = query.Filter,
            KeyFilter = keyFilter,
            ResourceVersion = query.ResourceVersion,
            AllowBookmarks = query.AllowWatchBookmarks,
            SendInitialEvents = query.SendInitialEvents,
            Timeout = WatchTimeout.From(query.TimeoutSeconds),
            Table = format.Table,
            PartialMetadataVersion = format.IsPartialMetadata ? format.MetaVersion : null,
        };
    }

    /// <summary>The verb upstream's RequestInfoFactory names a resource request's method by (request/requestinfo.go).</summary>
    public static string VerbName(string method, string? name) => (method, name) switch
    {
        ("POST", _) => "create",
        ("PUT", _) => "update",
        ("PATCH", _) => "patch",
        ("DELETE", null) => "deletecollection",
        _ => method.ToLowerInvariant(),
    };
}
