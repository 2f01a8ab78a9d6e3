using System.Text.Json.Nodes;

namespace Timonel.ApiServer.FieldManagement;

/// <summary>
/// The field paths of an object (every leaf, keyed-list item, set value and map, as structured-merge-diff's
/// ToFieldSet), and the paths where two versions of an object differ (its Compare), within a <see cref="FieldScope"/>.
/// </summary>
internal static class ObjectFields
{
    /// <summary>Every path of <paramref name="obj"/> in scope.</summary>
    public static FieldSet Of(JsonObject obj, FieldType type, FieldScope scope)
    {
        var set = new FieldSet();
        foreach (var (name, value) in obj)
        {
            if (scope.IncludesRoot(name))
            {
                AddField(name, value, type, set, metadata: name == "metadata");
            }
        }

        return set;
    }

    /// <summary>
    /// The paths that are new or hold another value in <paramref name="updated"/> (Changed), and the paths of
    /// <paramref name="current"/> that are gone (Removed).
    /// </summary>
    public static (FieldSet Changed, FieldSet Removed) Compare(JsonObject current, JsonObject updated, FieldType type, FieldScope scope)
    {
        var delta = new Delta();
        CompareFields(current, updated, type, delta, scope.IncludesRoot, rootLevel: true);
        return (delta.Changed ?? new FieldSet(), delta.Removed ?? new FieldSet());
    }

    private static void AddField(string name, JsonNode? value, FieldType owner, FieldSet set, bool metadata = false)
    {
        var node = set.Child(FieldsV1Path.Field(name));
        var type = owner.Field(name);
        if (metadata && value is JsonObject meta)
        {
            foreach (var (field, fieldValue) in meta)
            {
                if (FieldScope.IncludesMetadata(field))
                {
                    AddField(field, fieldValue, type, node);
                }
            }

            return;
        }

        Add(value, type, node);
    }

    private static void Add(JsonNode? value, FieldType type, FieldSet node)
    {
        var kind = type.KindOf(value);
        switch (kind)
        {
            case FieldTypeKind.Struct or FieldTypeKind.Map:
                var obj = (JsonObject)value!;
                node.IsMember |= obj.Count == 0 || kind == FieldTypeKind.Map;
                foreach (var (name, child) in obj)
                {
                    AddField(name, child, type, node);
                }

                break;
            case FieldTypeKind.List:
                var list = (JsonArray)value!;
                node.IsMember |= list.Count == 0;
                foreach (var item in list)
                {
                    AddItem(item, type, node);
                }

                break;
            default:
                node.IsMember = true;
                break;
        }
    }

    private static void AddItem(JsonNode? item, FieldType list, FieldSet node)
    {
        if (ItemElement(item, list) is not { } element)
        {
            // An item a keyed list cannot key (not an object): the list is owned whole.
            node.IsMember = true;
            return;
        }

        var child = node.Child(element);
        child.IsMember = true;
        if (!list.IsSet && item is JsonObject fields)
        {
            foreach (var (name, value) in fields)
            {
                AddField(name, value, list.Item, child);
            }
        }
    }

    /// <summary>The path element of a list item: its value in a set, its key fields in a keyed list.</summary>
    public static string? ItemElement(JsonNode? item, FieldType list) =>
        list.IsSet ? FieldsV1Path.Value(item) : item is JsonObject obj ? FieldsV1Path.Key(list.KeyOf(obj)) : null;

    private static void CompareFields(JsonObject current, JsonObject updated, FieldType type, Delta delta, Func<string, bool> includes, bool rootLevel = false)
    {
        foreach (var (name, before) in current)
        {
            if (!includes(name))
            {
                continue;
            }

            var metadata = rootLevel && name == "metadata";
            if (!updated.TryGetPropertyValue(name, out var after))
            {
                AddField(name, before, type, delta.RemovedNode, metadata);
                continue;
            }

            var child = new Delta();
            if (metadata && before is JsonObject beforeMeta && after is JsonObject afterMeta)
            {
                CompareFields(beforeMeta, afterMeta, type.Field(name), child, FieldScope.IncludesMetadata);
            }
            else
            {
                CompareValues(before, after, type.Field(name), child);
            }

            delta.Attach(FieldsV1Path.Field(name), child);
        }

        foreach (var (name, after) in updated)
        {
            if (includes(name) && !current.ContainsKey(name))
            {
                AddField(name, after, type, delta.ChangedNode, rootLevel && name == "metadata");
            }
        }
    }

    private static void CompareValues(JsonNode? before, JsonNode? after, FieldType type, Delta delta)
    {
        var kind = type.KindOf(after);
        if (kind != type.KindOf(before) || kind == FieldTypeKind.Leaf)
        {
            if (!JsonNode.DeepEquals(before, after))
            {
                Add(after, type, delta.ChangedNode);
            }

            return;
        }

        if (kind == FieldTypeKind.List)
        {
            CompareItems((JsonArray)before!, (JsonArray)after!, type, delta);
            return;
        }

        CompareFields((JsonObject)before!, (JsonObject)after!, type, delta, _ => true);
    }

    private static void CompareItems(JsonArray before, JsonArray after, FieldType list, Delta delta)
    {
        var previous = Index(before, list);
        var next = Index(after, list);
        if (previous is null || next is null)
        {
            // Items that cannot be keyed: the list is compared whole.
            if (!JsonNode.DeepEquals(before, after))
            {
                delta.ChangedNode.IsMember = true;
            }

            return;
        }

        foreach (var (element, item) in previous)
        {
            if (!next.TryGetValue(element, out var updatedItem))
            {
                AddItem(item, list, delta.RemovedNode);
            }
            else if (!list.IsSet && item is JsonObject itemFields && updatedItem is JsonObject updatedFields)
            {
                var child = new Delta();
                CompareFields(itemFields, updatedFields, list.Item, child, _ => true);
                delta.Attach(element, child);
            }
        }

        foreach (var (element, item) in next)
        {
            if (!previous.ContainsKey(element))
            {
                AddItem(item, list, delta.ChangedNode);
            }
        }
    }

    private static Dictionary<string, JsonNode?>? Index(JsonArray items, FieldType list)
    {
        var index = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (ItemElement(item, list) is not { } element)
            {
                return null;
            }

            // A duplicate key (which validation refuses for most lists) keeps the first item.
            index.TryAdd(element, item);
        }

        return index;
    }

    /// <summary>The changed and removed paths under one node, allocated only when there are some.</summary>
    private sealed class Delta
    {
        public FieldSet? Changed { get; private set; }

        public FieldSet? Removed { get; private set; }

        public FieldSet ChangedNode => Changed ??= new FieldSet();

        public FieldSet RemovedNode => Removed ??= new FieldSet();

        public void Attach(string element, Delta child)
        {
            if (child.Changed is not null)
            {
                ChangedNode.Child(element).UnionWith(child.Changed);
            }

            if (child.Removed is not null)
            {
                RemovedNode.Child(element).UnionWith(child.Removed);
            }
        }
    }
}
