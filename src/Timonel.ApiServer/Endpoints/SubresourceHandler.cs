using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Timonel.Api.Selectors;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry;
using Timonel.ApiServer.Registry.Core;

namespace Timonel.ApiServer.Endpoints;

/// <summary>
/// The status, scale, service accounts' token and pods' log/exec/attach/portforward subresources. Scale is
/// autoscaling/v1 Scale over spec.replicas, with status.selector as a label selector string, which is what kubectl
/// scale and the HPA read and write.
/// </summary>
public sealed class SubresourceHandler
{
    private readonly PatchHandler _patches;
    private readonly FieldValidation _fieldValidation;
    private readonly TokenRequestHandler _tokenRequests;

    public SubresourceHandler(PatchHandler patches, FieldValidation fieldValidation, TokenRequestHandler tokenRequests)
    {
        _patches = patches;
        _fieldValidation = fieldValidation;
        _tokenRequests = tokenRequests;
    }

    public async Task HandleAsync(HttpContext context, GenericStore store, string? ns, string name, string subresource)
    {
        var definition = store.Definition;
        var cancellationToken = context.RequestAborted;
        // Each write checks dryRun on its own options kind; reads take no write options (upstream's get never looks).
        var dryRun = context.Request.Method switch
        {
            "PUT" => QueryParameters.DryRun(context.Request, "UpdateOptions"),
            "PATCH" => QueryParameters.DryRun(context.Request, "PatchOptions"),
            "POST" => QueryParameters.DryRun(context.Request, "CreateOptions"),
            _ => false,
        };
        switch (subresource, context.Request.Method)
        {
            case ("status", "GET") when definition.HasStatus:
                await ResourceHandler.RespondAsync(context, definition, await store.GetAsync(ns, name, cancellationToken), 200);
                break;
            case ("status", "PUT") when definition.HasStatus:
                var body = await RequestBody.ReadObjectAsync(context.Request, cancellationToken);
                ObjectChecks.CheckKind(body, definition);
                _fieldValidation.Check(context, definition, body);
                await ResourceHandler.RespondAsync(context, definition, await store.UpdateAsync(ns, name, body, new StatusStrategy(definition.Strategy), dryRun, cancellationToken, QueryParameters.FieldOwner(context.Request, definition, "UpdateOptions", "status")), 200);
                break;
            case ("status", "PATCH") when definition.HasStatus:
                await ResourceHandler.RespondAsync(context, definition, await _patches.PatchAsync(context, store, ns, name, new StatusStrategy(definition.Strategy), "status"), 200);
                break;
            case ("finalize", "PUT") when definition.Kind == "Namespace" && definition.Group.Length == 0:
                var finalized = await RequestBody.ReadObjectAsync(context.Request, cancellationToken);
                ObjectChecks.CheckKind(finalized, definition);
                await ResourceHandler.RespondAsync(context, definition, await store.UpdateAsync(ns, name, finalized, new NamespaceFinalizeStrategy(definition.Strategy), dryRun, cancellationToken), 200);
                break;
            case ("scale", "GET") when definition.HasScale:
                await JsonResponse.WriteAsync(context, ScaleOf(await store.GetAsync(ns, name, cancellationToken)), 200);
                break;
            case ("scale", "PUT") when definition.HasScale:
                var scale = await RequestBody.ReadObjectAsync(context.Request, cancellationToken);
                if (ScaleDecoding.Error(scale) is { } error)
                {
                    throw StatusException.BadRequest($"Scale in version \"v1\" cannot be handled as a Scale: {error}");
                }

                var updated = await store.GuaranteedUpdateAsync(ns, name, current => WithReplicas(current, scale, store), definition.Strategy, dryRun, cancellationToken, QueryParameters.FieldOwner(context.Request, definition, "UpdateOptions", "scale"));
                await JsonResponse.WriteAsync(context, ScaleOf(updated), 200);
                break;
            case ("scale", "PATCH") when definition.HasScale:
                var patched = await _patches.PatchScaleAsync(context, store, ns, name, ScaleOf, (current, newScale) => WithReplicas(current, newScale, store));
                await JsonResponse.WriteAsync(context, ScaleOf(patched), 200);
                break;
            case ("token", "POST") when definition is { Kind: "ServiceAccount", Group.Length: 0 } && ns is not null:
                await _tokenRequests.HandleAsync(context, store, ns, name);
                break;
            case ("log", "GET") or ("exec" or "attach" or "portforward", "GET" or "POST") when definition is { Kind: "Pod", Group.Length: 0 } && ns is not null:
                await PodConnectHandler.HandleAsync(context, store, ns, name, subresource);
                break;
            default:
                throw Serves(definition, ns, subresource)
                    ? ResourceHandler.MethodNotAllowed(definition, ResourceHandler.VerbName(context.Request.Method, name))
                    : new StatusException(404, "NotFound", "the server could not find the requested resource");
        }
    }

    /// <summary>Whether <paramref name="subresource"/> is one of the resource's, so a method it lacks is a 405, not a 404.</summary>
    private static bool Serves(ResourceDefinition definition, string? ns, string subresource) => subresource switch
    {
        "status" => definition.HasStatus,
        "scale" => definition.HasScale,
        "finalize" => definition is { Kind: "Namespace", Group.Length: 0 },
        "token" => definition is { Kind: "ServiceAccount", Group.Length: 0 } && ns is not null,
        "log" or "exec" or "attach" or "portforward" => definition is { Kind: "Pod", Group.Length: 0 } && ns is not null,
        _ => false,
    };

    public static JsonObject ScaleOf(JsonObject obj) => new()
    {
        ["kind"] = "Scale",
        ["apiVersion"] = "autoscaling/v1",
        ["metadata"] = new JsonObject
        {
            ["name"] = obj.Name(),
            ["namespace"] = obj.Namespace(),
            ["uid"] = obj.Uid(),
            ["resourceVersion"] = obj.ResourceVersion(),
            ["creationTimestamp"] = obj.CreationTimestamp(),
        },
        ["spec"] = new JsonObject { ["replicas"] = obj.LongAt("spec", "replicas") ?? 0 },
        ["status"] = new JsonObject
        {
            ["replicas"] = obj.LongAt("status", "replicas") ?? 0,
            ["selector"] = LabelSelector.FromLabelSelectorJson(obj.ObjectAt("spec", "selector")).ToString(),
        },
    };

    private static JsonObject WithReplicas(JsonObject current, JsonObject scale, GenericStore store)
    {
        if (scale.ResourceVersion() is { Length: > 0 } version && version != current.ResourceVersion())
        {
            throw StatusException.ModifiedConflict(store.Definition.Group, store.Definition.Plural, current.Name()!);
        }

        var replicas = scale.LongAt("spec", "replicas");
        if (replicas is null or < 0)
        {
            throw StatusException.Invalid("autoscaling", "Scale", current.Name()!, FieldError.Invalid(FieldPath.Root("spec").Child("replicas"), replicas, ObjectMetaValidation.IsNegativeErrorMessage));
        }

        current.Child("spec")["replicas"] = replicas;
        return current;
    }
}
