using System.Text.Json.Nodes;

namespace Timonel.Api.Objects;

/// <summary>
/// Read/write view of an object's <c>metadata</c> (metav1.ObjectMeta) over its JSON form. Reads tolerate a
/// missing metadata object; writes create it. Setting a property to null removes the field.
/// </summary>
public sealed class ObjectMeta
{
    /// <summary>Views the metadata of <paramref name="obj"/> (the whole object, not its metadata).</summary>
    public ObjectMeta(JsonObject obj) => Object = obj;

    /// <summary>The whole object.</summary>
    public JsonObject Object { get; }

    /// <summary>The raw metadata object, or null when the object has none.</summary>
    public JsonObject? Metadata => Object["metadata"] as JsonObject;

    /// <summary>metadata.name.</summary>
    public string? Name { get => Get("name"); set => Set("name", value); }

    /// <summary>metadata.generateName.</summary>
    public string? GenerateName { get => Get("generateName"); set => Set("generateName", value); }

    /// <summary>metadata.namespace.</summary>
    public string? Namespace { get => Get("namespace"); set => Set("namespace", value); }

    /// <summary>metadata.uid.</summary>
    public string? Uid { get => Get("uid"); set => Set("uid", value); }

    /// <summary>metadata.resourceVersion.</summary>
    public string? ResourceVersion { get => Get("resourceVersion"); set => Set("resourceVersion", value); }

    /// <summary>metadata.creationTimestamp (RFC 3339 text).</summary>
    public string? CreationTimestamp { get => Get("creationTimestamp"); set => Set("creationTimestamp", value); }

    /// <summary>metadata.deletionTimestamp (RFC 3339 text); non-null means the object is being deleted.</summary>
    public string? DeletionTimestamp { get => Get("deletionTimestamp"); set => Set("deletionTimestamp", value); }

    /// <summary>metadata.generation; 0 when absent.</summary>
    public long Generation
    {
        get => JsonFields.GetInt64(Metadata, "generation") ?? 0;
        set => EnsureMetadata()["generation"] = value;
    }

    /// <summary>metadata.deletionGracePeriodSeconds.</summary>
    public long? DeletionGracePeriodSeconds
    {
        get => JsonFields.GetInt64(Metadata, "deletionGracePeriodSeconds");
        set => SetNode("deletionGracePeriodSeconds", value is { } v ? JsonValue.Create(v) : null);
    }

    /// <summary>A snapshot of metadata.labels.</summary>
    public IReadOnlyDictionary<string, string> Labels => JsonFields.GetStringMap(Metadata, "labels");

    /// <summary>A snapshot of metadata.annotations.</summary>
    public IReadOnlyDictionary<string, string> Annotations => JsonFields.GetStringMap(Metadata, "annotations");

    /// <summary>A snapshot of metadata.finalizers.</summary>
    public IReadOnlyList<string> Finalizers => JsonFields.GetStringList(Metadata, "finalizers");

    /// <summary>A snapshot of metadata.ownerReferences.</summary>
    public IReadOnlyList<OwnerReference> OwnerReferences =>
        JsonFields.GetArray(Metadata, "ownerReferences")?.OfType<JsonObject>().Select(OwnerReference.FromJson).ToList()
            ?? (IReadOnlyList<OwnerReference>)[];

    /// <summary>The owner reference with controller=true, if any.</summary>
    public OwnerReference? ControllerReference => OwnerReferences.FirstOrDefault(r => r.Controller == true);

    /// <summary>Sets (or, with null, removes) one label.</summary>
    public void SetLabel(string key, string? value) => SetMapEntry("labels", key, value);

    /// <summary>Sets (or, with null, removes) one annotation.</summary>
    public void SetAnnotation(string key, string? value) => SetMapEntry("annotations", key, value);

    /// <summary>Replaces all labels; an empty map removes the field.</summary>
    public void SetLabels(IReadOnlyDictionary<string, string> labels) => SetMap("labels", labels);

    /// <summary>Replaces all annotations; an empty map removes the field.</summary>
    public void SetAnnotations(IReadOnlyDictionary<string, string> annotations) => SetMap("annotations", annotations);

    /// <summary>Replaces the finalizers; an empty list removes the field.</summary>
    public void SetFinalizers(IEnumerable<string> finalizers)
    {
        var list = finalizers.ToList();
        SetNode("finalizers", list.Count == 0 ? null : new JsonArray(list.Select(f => (JsonNode?)JsonValue.Create(f)).ToArray()));
    }

    /// <summary>Adds a finalizer unless present; returns whether the list changed.</summary>
    public bool AddFinalizer(string finalizer)
    {
        var current = Finalizers;
        if (current.Contains(finalizer))
        {
            return false;
        }
        SetFinalizers(current.Append(finalizer));
        return true;
    }

    /// <summary>Removes a finalizer; returns whether the list changed.</summary>
    public bool RemoveFinalizer(string finalizer)
    {
        var current = Finalizers;
        if (!current.Contains(finalizer))
        {
            return false;
        }
        SetFinalizers(current.Where(f => f != finalizer));
        return true;
    }

    /// <summary>Replaces the owner references; an empty list removes the field.</summary>
    public void SetOwnerReferences(IEnumerable<OwnerReference> references)
    {
        var list = references.Select(r => (JsonNode?)r.ToJson()).ToArray();
        SetNode("ownerReferences", list.Length == 0 ? null : new JsonArray(list));
    }

    private string? Get(string field) => JsonFields.GetString(Metadata, field);

    private void Set(string field, string? value) => SetNode(field, value is null ? null : JsonValue.Create(value));

    private void SetNode(string field, JsonNode? value)
    {
        if (value is null)
        {
            Metadata?.Remove(field);
            return;
        }
        EnsureMetadata()[field] = value;
    }

    private void SetMapEntry(string field, string key, string? value)
    {
        if (value is null)
        {
            if (JsonFields.GetObject(Metadata, field) is { } existing)
            {
                existing.Remove(key);
                if (existing.Count == 0)
                {
                    Metadata!.Remove(field);
                }
            }
            return;
        }
        var metadata = EnsureMetadata();
        if (metadata[field] is not JsonObject map)
        {
            map = [];
            metadata[field] = map;
        }
        map[key] = value;
    }

    private void SetMap(string field, IReadOnlyDictionary<string, string> values)
    {
        if (values.Count == 0)
        {
            Metadata?.Remove(field);
            return;
        }
        var map = new JsonObject();
        foreach (var (key, value) in values)
        {
            map[key] = value;
        }
        EnsureMetadata()[field] = map;
    }

    private JsonObject EnsureMetadata()
    {
        if (Object["metadata"] is JsonObject metadata)
        {
            return metadata;
        }
        metadata = [];
        Object["metadata"] = metadata;
        return metadata;
    }
}
