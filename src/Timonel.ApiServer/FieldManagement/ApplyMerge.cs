using System.Text.Json.Nodes;

namespace Timonel.ApiServer.FieldManagement;

/// <summary>
/// The object changes of server-side apply: merging an applied configuration into the live object (fields by field,
/// keyed lists item by item, sets value by value, anything atomic replaced whole), and removing a path the applier
/// gave up. Field ownership is <see cref="FieldManager"/>'s job.
/// </summary>
internal static class ApplyMerge
{
    /// <summary>Merges <paramref name="config"/> into <paramref name="target"/> in place; a null in the configuration removes the field.</summary>
    public static void MergeFields(JsonObject target, JsonObject config, FieldType type)
    {
        foreach (var (name, value) in config)
        {
            if (value is null)
            {
                target.Remove(name);
                continue;
            }

            var fieldType = type.Field(name);
            if (!MergeInPlace(target[name], value, fieldType))
            {
                target[name] = value.DeepClone();
            }
        }
    }

    // Merges into the live value when both are of a kind owned piece by piece; false when the configuration's value
    // replaces it.
    private static bool MergeInPlace(JsonNode? live, JsonNode config, FieldType type)
    {
        var kind = type.KindOf(config);
        if (kind != type.KindOf(live))
        {
            return false;
        }

        switch (kind)
        {
            case FieldTypeKind.Struct or FieldTypeKind.Map:
                MergeFields((JsonObject)live!, (JsonObject)config, type);
                return true;
            case FieldTypeKind.List:
                return MergeItems((JsonArray)live!, (JsonArray)config, type);
            default:
                return false;
        }
    }

    private static bool MergeItems(JsonArray live, JsonArray config, FieldType list)
    {
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < live.Count; i++)
        {
            if (ObjectFields.ItemElement(live[i], list) is not { } element)
            {
                return false;
            }

            positions.TryAdd(element, i);
        }

        var elements = new List<string>(config.Count);
        foreach (var item in config)
        {
            if (ObjectFields.ItemElement(item, list) is not { } element)
            {
                return false;
            }

            elements.Add(element);
        }

        for (var i = 0; i < config.Count; i++)
        {
            var item = config[i];
            if (!positions.TryGetValue(elements[i], out var at))
            {
                positions[elements[i]] = live.Count;
                live.Add(item?.DeepClone());
            }
            else if (!list.IsSet && live[at] is JsonObject liveItem && item is JsonObject configItem)
            {
                MergeFields(liveItem, configItem, list.Item);
            }
        }

        return true;
    }

    /// <summary>Removes the value at <paramref name="path"/> (FieldsV1 elements) if it is there.</summary>
    public static void Remove(JsonObject root, IReadOnlyList<string> path, FieldType type)
    {
        JsonNode? container = root;
        for (var i = 0; i < path.Count; i++)
        {
            var element = path[i];
            var last = i == path.Count - 1;
            if (element.StartsWith(FieldsV1Path.FieldPrefix, StringComparison.Ordinal) && container is JsonObject obj)
            {
                var name = element[FieldsV1Path.FieldPrefix.Length..];
                if (last)
                {
                    obj.Remove(name);
                    return;
                }

                container = obj[name];
                type = type.Field(name);
            }
            else if (container is JsonArray list)
            {
                var index = IndexOf(list, element, type);
                if (index < 0)
                {
                    return;
                }

                if (last)
                {
                    list.RemoveAt(index);
                    return;
                }

                container = list[index];
                type = type.Item;
            }
            else
            {
                return;
            }
        }
    }

    private static int IndexOf(JsonArray list, string element, FieldType type)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (ObjectFields.ItemElement(list[i], type) == element)
            {
                return i;
            }
        }

        return -1;
    }
}
