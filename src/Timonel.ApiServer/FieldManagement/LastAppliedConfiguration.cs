using System.Text.Json;
using System.Text.Json.Nodes;
using Timonel.Api.Objects;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.FieldManagement;

/// <summary>
/// kubectl's client-side apply annotation, as upstream's field manager reads and keeps it for the move to server-side
/// apply (managedfields/internal/lastappliedmanager.go and lastappliedupdater.go): only for the "kubectl" manager,
/// kubectl apply --server-side's default, so other appliers can opt out by their name.
/// </summary>
internal static class LastAppliedConfiguration
{
    /// <summary>The annotation client-side apply keeps its last configuration in.</summary>
    public const string Annotation = "kubectl.kubernetes.io/last-applied-configuration";

    /// <summary>The manager whose applies the annotation concerns.</summary>
    public const string Manager = "kubectl";

    /// <summary>
    /// The fields client-side apply set that still hold the value it set: the first server-side apply may take them
    /// from whoever owns them now without a conflict. Empty without the annotation, or when it is of another API
    /// version or not JSON.
    /// </summary>
    public static FieldSet StillAsApplied(JsonObject live, string apiVersion, FieldType type, FieldScope scope)
    {
        if (Read(live) is not JsonObject lastApplied || lastApplied["apiVersion"]?.GetValueKind() != JsonValueKind.String
            || lastApplied["apiVersion"]!.GetValue<string>() != apiVersion)
        {
            return new FieldSet();
        }

        var fields = ObjectFields.Of(lastApplied, type, scope);
        var (changedSince, removedSince) = ObjectFields.Compare(lastApplied, live, type, scope);
        fields.ExceptWith(changedSince);
        fields.ExceptWith(removedSince);
        return fields;
    }

    /// <summary>
    /// After a server-side apply by kubectl, makes an annotation the object already has describe the applied
    /// configuration, so a later client-side apply computes its three-way patch from it.
    /// </summary>
    public static void Refresh(JsonObject applied, JsonObject config)
    {
        if (applied.ObjectAt("metadata", "annotations") is not { } annotations || annotations.StringAt(Annotation) is not { Length: > 0 })
        {
            return;
        }

        var configuration = config.DeepClone().AsObject();
        configuration.ObjectAt("metadata", "annotations")?.Remove(Annotation);
        // runtime.Encode of the unstructured configuration: Go's JSON with a trailing newline.
        annotations[Annotation] = GoJson.Marshal(configuration) + "\n";
        // Past the annotations' size limit, the annotation is dropped rather than the apply refused (SetLastApplied).
        var pairs = annotations.Select(a => KeyValuePair.Create(a.Key, a.Value?.ToString() ?? ""));
        if (ObjectMetaValidation.AnnotationsSize(pairs) > ObjectMetaValidation.TotalAnnotationSizeLimitBytes)
        {
            annotations.Remove(Annotation);
        }
    }

    private static JsonNode? Read(JsonObject obj)
    {
        if (obj.StringAt("metadata", "annotations", Annotation) is not { Length: > 0 } text)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text, documentOptions: NestingLimit.DocumentOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
