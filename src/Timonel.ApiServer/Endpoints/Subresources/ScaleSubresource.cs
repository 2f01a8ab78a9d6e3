using System.Text.Json.Nodes;
using Timonel.Api.Selectors;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Endpoints.Subresources;

/// <summary>
/// /scale: autoscaling/v1 Scale over spec.replicas, with status.selector as a label selector string, which is what
/// kubectl scale and the HPA read and write.
/// </summary>
public sealed class ScaleSubresource : ISubresourceHandler
{
    public static SubresourceDefinition Definition { get; } = new()
    {
        Name = "scale",
        Verbs = ["get", "patch", "update"],
        Handler = new ScaleSubresource(),
        Kind = "Scale",
        Group = "autoscaling",
        Version = "v1",
    };

    public async Task HandleAsync(SubresourceRequest request)
    {
        var (context, store, ns, name) = (request.Context, request.Store, request.Namespace, request.Name);
        switch (request.Verb)
        {
            case "get":
                await JsonResponse.WriteAsync(context, ScaleOf(await store.GetAsync(ns, name, request.CancellationToken)), 200);
                break;
            case "update":
                var scale = await RequestBody.ReadObjectAsync(context.Request, request.CancellationToken);
                if (ScaleDecoding.Error(scale) is { } error)
                {
                    throw StatusException.BadRequest($"Scale in version \"v1\" cannot be handled as a Scale: {error}");
                }

                var owner = QueryParameters.FieldOwner(context.Request, store.Definition, "UpdateOptions", "scale");
                var updated = await store.GuaranteedUpdateAsync(ns, name, current => WithReplicas(current, scale, store), store.Definition.Strategy, request.DryRun, request.CancellationToken, owner);
                await JsonResponse.WriteAsync(context, ScaleOf(updated), 200);
                break;
            default:
                var patched = await request.Services.Patches.PatchScaleAsync(context, store, ns, name, ScaleOf, (current, newScale) => WithReplicas(current, newScale, store));
                await JsonResponse.WriteAsync(context, ScaleOf(patched), 200);
                break;
        }
    }

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
            ["selector"] = ScaleSelector(obj),
        },
    };

    /// <summary>
    /// status.selector as a label selector string. A ReplicationController's spec.selector is a plain label map (core/v1
    /// ReplicationControllerSpec), the other scalable kinds' a metav1.LabelSelector (upstream's scale conversions).
    /// </summary>
    public static string ScaleSelector(JsonObject obj) =>
        obj["kind"]?.GetValue<string>() == "ReplicationController" && obj.ObjectAt("spec", "selector") is { } labels
            ? LabelSelector.FromSet(labels.ToDictionary(pair => pair.Key, pair => pair.Value?.GetValue<string>() ?? "")).ToString()
            : LabelSelector.FromLabelSelectorJson(obj.ObjectAt("spec", "selector")).ToString();

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
