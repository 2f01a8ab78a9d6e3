using System.Text.Json.Nodes;

namespace Timonel.Api.Patching;

/// <summary>
/// Server-side strategic merge patch (<c>application/strategic-merge-patch+json</c>), following apimachinery's
/// pkg/util/strategicpatch (StrategicMergeMapPatch, with MergeParallelList and IgnoreUnmatchedNulls): merged lists
/// by merge key, primitive set lists, <c>$patch: replace|delete|merge</c>, <c>$deleteFromPrimitiveList/&lt;f&gt;</c>,
/// <c>$setElementOrder/&lt;f&gt;</c>, <c>$retainKeys</c>, null deleting a key. Per-field behaviour comes from a
/// <see cref="PatchSchema"/>; see <see cref="PatchSchemas.ForKind"/> (null for custom resources, which upstream
/// refuses with 415). Fields unknown to the schema use the default behaviour instead of upstream's error.
/// </summary>
public static class StrategicMergePatch
{
    private const string DirectiveMarker = "$patch";
    private const string RetainKeysDirective = "$retainKeys";
    private const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList";
    private const string SetElementOrderPrefix = "$setElementOrder";

    // mergepatch's error texts.
    private const string BadRetainKeys = "invalid patch format of retainKeys";
    private const string BadPrimitiveList = "invalid patch format of primitive list";
    private const string BadSetElementOrder = "invalid patch format of setElementOrder list";

    /// <summary>
    /// Applies <paramref name="patch"/> (a JSON object) to a copy of <paramref name="original"/> using
    /// <paramref name="schema"/>; throws <see cref="PatchException"/> with upstream's message when the patch is invalid.
    /// </summary>
    public static JsonObject Apply(JsonNode? original, JsonNode? patch, PatchSchema schema)
    {
        if (patch is not JsonObject patchObject)
        {
            throw new PatchException("invalid JSON document", isMalformedPatch: true);
        }
        var originalObject = original is null ? [] : original as JsonObject ?? throw new PatchException("invalid JSON document");
        var result = MergeMap(originalObject.DeepClone().AsObject(), patchObject.DeepClone().AsObject(), schema);
        // A typed decode drops directive keys that survive inside wholly new values; do the same for stored JSON.
        StripDirectiveKeys(result);
        return result;
    }

    private static JsonObject MergeMap(JsonObject? original, JsonObject patch, PatchSchema schema)
    {
        if (patch.TryGetPropertyValue(DirectiveMarker, out var directive))
        {
            return HandleDirectiveInMap(directive, patch);
        }
        original ??= [];
        ApplyRetainKeys(original, patch);
        MergeSetElementOrderLists(original, patch, schema);

        foreach (var (rawKey, patchValue) in patch.ToList())
        {
            var key = rawKey;
            var isDeleteList = false;
            if (rawKey.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal))
            {
                key = ExtractKey(rawKey, DeleteFromPrimitiveListPrefix, BadPrimitiveList);
                isDeleteList = true;
            }
            if (JsonNodes.IsNull(patchValue))
            {
                original.Remove(key);
                continue;
            }
            if (!original.TryGetPropertyValue(key, out var originalValue) || !SameType(originalValue, patchValue))
            {
                if (!isDeleteList)
                {
                    SetOrRemove(original, key, TakePatchValue(patchValue));
                }
                continue;
            }
            var field = schema.Field(key);
            JsonNode merged = originalValue switch
            {
                JsonObject when field.Strategy == PatchStrategy.Replace => patchValue!.DeepClone(),
                JsonObject originalMap => MergeMap(originalMap, patchValue!.DeepClone().AsObject(), field.Schema),
                JsonArray originalList when field.Strategy == PatchStrategy.Merge || isDeleteList =>
                    MergeList(originalList, patchValue!.DeepClone().AsArray(), field, isDeleteList, out _),
                _ => patchValue!.DeepClone(), // lists without merge strategy, and scalars, are replaced
            };
            if (!ReferenceEquals(merged, originalValue))
            {
                // Assigning an existing key keeps its position in the object.
                original[key] = Detach(merged);
            }
        }
        return original;
    }

    private static JsonObject HandleDirectiveInMap(JsonNode? directive, JsonObject patch)
    {
        switch (JsonNodes.AsString(directive))
        {
            case "replace":
                patch.Remove(DirectiveMarker);
                return patch;
            case "delete":
                return [];
            default:
                throw new PatchException("unknown patch type: " + JsonNodes.GoString(directive) + " in map: " + JsonNodes.GoString(patch));
        }
    }

    // $retainKeys: the original keeps only the listed keys, and every key set by the patch must be listed.
    private static void ApplyRetainKeys(JsonObject original, JsonObject patch)
    {
        if (!patch.TryGetPropertyValue(RetainKeysDirective, out var retain))
        {
            return;
        }
        patch.Remove(RetainKeysDirective);
        if (retain is not JsonArray list)
        {
            throw new PatchException(BadRetainKeys);
        }
        var keys = list.Select(JsonNodes.AsString).Where(k => k is not null).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, value) in patch)
        {
            if (JsonNodes.IsNull(value) || key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal)
                || key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal))
            {
                continue;
            }
            if (!keys.Contains(key))
            {
                throw new PatchException(BadRetainKeys);
            }
        }
        foreach (var key in original.Select(p => p.Key).Where(k => !keys.Contains(k)).ToList())
        {
            original.Remove(key);
        }
    }

    // $setElementOrder/<field>: merge the field's list, then order it as the directive lists.
    private static void MergeSetElementOrderLists(JsonObject original, JsonObject patch, PatchSchema schema)
    {
        foreach (var (directiveKey, orderValue) in patch.Where(p => p.Key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal)).ToList())
        {
            patch.Remove(directiveKey);
            if (orderValue is not JsonArray order)
            {
                throw new PatchException(BadArgType("[]interface {}", orderValue));
            }
            var key = ExtractKey(directiveKey, SetElementOrderPrefix, BadSetElementOrder);
            var foundOriginal = original.TryGetPropertyValue(key, out var originalNode);
            var foundPatch = patch.TryGetPropertyValue(key, out var patchNode);
            if (foundOriginal && originalNode is not JsonArray)
            {
                throw new PatchException(BadArgType("[]interface {}", originalNode));
            }
            if (foundPatch && patchNode is not JsonArray)
            {
                throw new PatchException(BadArgType("[]interface {}", patchNode));
            }
            var originalList = originalNode as JsonArray ?? [];
            var patchList = patchNode as JsonArray ?? [];
            var field = schema.Field(key);
            ValidatePatchWithSetOrderList(patchList, order, field.MergeKey);

            List<JsonNode?> merged;
            var originalOrder = originalList.ToList();
            var serverOrder = originalOrder;
            if (foundOriginal && !foundPatch)
            {
                merged = originalOrder;
            }
            else if (!foundOriginal && foundPatch)
            {
                RemoveDirectives(patchList, out _);
                merged = patchList.ToList();
            }
            else if (foundOriginal && foundPatch)
            {
                if (field.Strategy == PatchStrategy.Merge)
                {
                    // Upstream orders by its original slice, which the merge has overwritten in place.
                    merged = MergeList(Detach(originalList).AsArray(), Detach(patchList).AsArray(), field, isDeleteList: false, out serverOrder).ToList();
                }
                else
                {
                    merged = Detach(patchList).AsArray().ToList();
                }
            }
            else
            {
                continue;
            }
            var isMap = ElementIsMap(originalOrder, patchList.ToList());
            var (patchItems, serverOnly) = Partition(merged, order.ToList(), field.MergeKey);
            var ordered = NormalizeElementOrder(patchItems, serverOnly, order.ToList(), serverOrder, field.MergeKey, isMap);
            original[key] = ToArray(ordered);
            patch.Remove(key);
        }
    }

    /// <summary>
    /// Merges two lists as upstream's mergeSlice. <paramref name="aliasedOriginal"/> is what upstream's caller then
    /// sees through its original slice: Go deletes by shifting in place and appends into the freed tail, and
    /// $setElementOrder ordering reads that overwritten slice, so the emulation keeps results identical.
    /// </summary>
    private static JsonArray MergeList(JsonArray original, JsonArray patch, PatchField field, bool isDeleteList, out List<JsonNode?> aliasedOriginal)
    {
        var originalItems = original.ToList();
        aliasedOriginal = originalItems;
        if (original.Count == 0 && patch.Count == 0)
        {
            return original;
        }
        var patchItems = patch.ToList();
        var isMap = ElementIsMap(originalItems, patchItems);
        var mergeKey = field.MergeKey;
        List<JsonNode?> merged;
        if (!isMap)
        {
            if (isDeleteList)
            {
                return ToArray(originalItems.Where(o => !patchItems.Any(p => ScalarEquals(o, p))));
            }
            merged = [];
            foreach (var item in originalItems.Concat(patchItems))
            {
                if (!merged.Any(m => ScalarEquals(m, item)))
                {
                    merged.Add(item);
                }
            }
        }
        else
        {
            if (string.IsNullOrEmpty(mergeKey))
            {
                throw new PatchException("cannot merge lists without merge key for " + field.Schema.Name);
            }
            var backing = originalItems.ToArray();
            var length = backing.Length;
            var replaced = MergeSpecialElements(backing, ref length, patchItems, mergeKey, out var plainPatch);
            originalItems = replaced ? plainPatch : backing.Take(length).ToList();
            patchItems = replaced ? [] : plainPatch;
            merged = MergeByKey(originalItems, patchItems, mergeKey, field.Schema);
            for (var k = 0; length + k < backing.Length && originalItems.Count + k < merged.Count && !replaced; k++)
            {
                backing[length + k] = merged[originalItems.Count + k];
            }
            aliasedOriginal = [.. backing];
        }
        var (inPatch, serverOnly) = Partition(merged, patchItems, isMap ? mergeKey : null);
        return ToArray(NormalizeElementOrder(inPatch, serverOnly, patchItems, originalItems, isMap ? mergeKey : null, isMap));
    }

    // Handles list items carrying $patch: deletes by key (shifting within backing[0..length)), and reports whether
    // a replace directive makes the plain patch items the whole new list.
    private static bool MergeSpecialElements(JsonNode?[] backing, ref int length, List<JsonNode?> patch, string mergeKey, out List<JsonNode?> plain)
    {
        plain = [];
        var replace = false;
        foreach (var item in patch)
        {
            var map = (JsonObject)item!;
            if (!map.TryGetPropertyValue(DirectiveMarker, out var directive))
            {
                plain.Add(item);
                continue;
            }
            switch (JsonNodes.AsString(directive))
            {
                case "delete":
                    if (!map.TryGetPropertyValue(mergeKey, out var value))
                    {
                        throw new PatchException(NoMergeKey(map, mergeKey));
                    }
                    int index;
                    while ((index = Array.FindIndex(backing, 0, length, o => KeyEquals(o, mergeKey, value))) >= 0)
                    {
                        Array.Copy(backing, index + 1, backing, index, length - index - 1);
                        length--;
                    }
                    break;
                case "replace":
                    replace = true;
                    break;
                case "merge":
                    throw new PatchException("merging lists cannot yet be specified in the patch");
                default:
                    throw new PatchException("unknown patch type: " + JsonNodes.GoString(directive) + " in map: " + JsonNodes.GoString(map));
            }
        }
        return replace;
    }

    private static List<JsonNode?> MergeByKey(List<JsonNode?> original, List<JsonNode?> patch, string mergeKey, PatchSchema schema)
    {
        var result = original.ToList();
        foreach (var item in patch)
        {
            var map = (JsonObject)item!;
            if (!map.TryGetPropertyValue(mergeKey, out var value))
            {
                throw new PatchException(NoMergeKey(map, mergeKey));
            }
            var index = result.FindIndex(o => o is JsonObject && KeyEquals(o, mergeKey, value));
            if (result.Any(o => o is not JsonObject))
            {
                throw new PatchException("value for key " + result.FindIndex(o => o is not JsonObject) + " is not a map");
            }
            if (index >= 0)
            {
                result[index] = MergeMap(Detach(result[index]).AsObject(), Detach(map).AsObject(), schema);
            }
            else
            {
                result.Add(item);
            }
        }
        return result;
    }

    // Upstream's normalizeElementOrder: patch items in patch order, server-only items in server order, interleaved by server order.
    private static List<JsonNode?> NormalizeElementOrder(List<JsonNode?> patch, List<JsonNode?> serverOnly, List<JsonNode?> patchOrder,
        List<JsonNode?> serverOrder, string? mergeKey, bool isMap)
    {
        patch = NormalizeSliceOrder(patch, patchOrder, mergeKey, isMap);
        serverOnly = NormalizeSliceOrder(serverOnly, serverOrder, mergeKey, isMap);
        var result = new List<JsonNode?>(patch.Count + serverOnly.Count);
        int i = 0, j = 0;
        while (i < serverOnly.Count || j < patch.Count)
        {
            if (j >= patch.Count)
            {
                result.Add(serverOnly[i++]);
            }
            else if (i >= serverOnly.Count)
            {
                result.Add(patch[j++]);
            }
            else
            {
                var left = IndexOf(serverOrder, serverOnly[i], mergeKey, isMap);
                var right = IndexOf(serverOrder, patch[j], mergeKey, isMap);
                result.Add(left >= 0 && right >= 0 && left < right ? serverOnly[i++] : patch[j++]);
            }
        }
        return result;
    }

    private static List<JsonNode?> NormalizeSliceOrder(List<JsonNode?> toSort, List<JsonNode?> order, string? mergeKey, bool isMap)
    {
        var toDelete = new List<JsonNode?>();
        if (isMap)
        {
            foreach (var item in toSort.Concat(order))
            {
                if (item is not JsonObject map)
                {
                    throw new PatchException(BadArgType("map[string]interface {}", item));
                }
                if (!map.ContainsKey(mergeKey ?? string.Empty))
                {
                    throw new PatchException(NoMergeKey(map, mergeKey ?? string.Empty));
                }
            }
            toDelete = toSort.Where(IsDeleteDirective).ToList();
            toSort = toSort.Where(i => !IsDeleteDirective(i)).ToList();
        }
        // Go's sort.SliceStable runs insertion sort on runs of up to 20 items; its "less" treats unknown items as smaller.
        var items = toSort.ToList();
        for (var i = 1; i < items.Count; i++)
        {
            for (var j = i; j > 0 && Less(items[j], items[j - 1]); j--)
            {
                (items[j], items[j - 1]) = (items[j - 1], items[j]);
            }
        }
        items.AddRange(toDelete);
        return items;

        bool Less(JsonNode? a, JsonNode? b)
        {
            var ia = IndexOf(order, a, mergeKey, isMap);
            if (ia < 0)
            {
                return true;
            }
            var ib = IndexOf(order, b, mergeKey, isMap);
            return ib < 0 || ia < ib;
        }
    }

    private static (List<JsonNode?> InList, List<JsonNode?> NotInList) Partition(List<JsonNode?> items, List<JsonNode?> by, string? mergeKey)
    {
        var inList = new List<JsonNode?>();
        var notInList = new List<JsonNode?>();
        foreach (var item in items)
        {
            bool found;
            if (string.IsNullOrEmpty(mergeKey))
            {
                found = by.Any(b => ScalarEquals(b, item));
            }
            else
            {
                if (item is not JsonObject map)
                {
                    throw new PatchException(BadArgType("map[string]interface {}", item));
                }
                if (!map.TryGetPropertyValue(mergeKey, out var value))
                {
                    throw new PatchException(NoMergeKey(map, mergeKey));
                }
                found = by.Any(b => b is JsonObject && KeyEquals(b, mergeKey, value));
            }
            (found ? inList : notInList).Add(item);
        }
        return (inList, notInList);
    }

    private static void ValidatePatchWithSetOrderList(JsonArray patchList, JsonArray order, string? mergeKey)
    {
        if (order.Count == 0 || patchList.Count == 0)
        {
            return;
        }
        var nonDelete = string.IsNullOrEmpty(mergeKey) ? patchList.ToList() : patchList.Where(i => !IsDeleteDirective(i)).ToList();
        int p = 0, s = 0;
        while (p < nonDelete.Count && s < order.Count)
        {
            if (nonDelete[p] is JsonObject m && m.ContainsKey(DirectiveMarker))
            {
                p++;
                continue;
            }
            var equal = string.IsNullOrEmpty(mergeKey)
                ? ScalarEquals(nonDelete[p], order[s])
                : MergeKeyEquals(nonDelete[p], order[s], mergeKey);
            if (equal)
            {
                p++;
            }
            s++;
        }
        if (p < nonDelete.Count && s >= order.Count)
        {
            throw new PatchException("The order in patch list:\n" + JsonNodes.GoString(patchList) + "\n doesn't match " + SetElementOrderPrefix
                + " list:\n" + JsonNodes.GoString(order) + "\n");
        }
    }

    private static bool MergeKeyEquals(JsonNode? left, JsonNode? right, string mergeKey)
    {
        if (left is not JsonObject l)
        {
            throw new PatchException(BadArgType("map[string]interface {}", left));
        }
        if (right is not JsonObject r)
        {
            throw new PatchException(BadArgType("map[string]interface {}", right));
        }
        if (!l.TryGetPropertyValue(mergeKey, out var lv))
        {
            throw new PatchException(NoMergeKey(l, mergeKey));
        }
        if (!r.TryGetPropertyValue(mergeKey, out var rv))
        {
            throw new PatchException(NoMergeKey(r, mergeKey));
        }
        return ScalarEquals(lv, rv);
    }

    // Removes maps carrying $patch anywhere inside a value; false when the value itself is such a map.
    private static bool RemoveDirectives(JsonNode? node, out bool keep)
    {
        keep = true;
        switch (node)
        {
            case JsonObject map:
                if (map.ContainsKey(DirectiveMarker))
                {
                    keep = false;
                    return true;
                }
                foreach (var (key, value) in map.ToList())
                {
                    RemoveDirectives(value, out var keepChild);
                    if (!keepChild)
                    {
                        map.Remove(key);
                    }
                }
                break;
            case JsonArray list:
                for (var i = list.Count - 1; i >= 0; i--)
                {
                    RemoveDirectives(list[i], out var keepItem);
                    if (!keepItem)
                    {
                        list.RemoveAt(i);
                    }
                }
                break;
        }
        return true;
    }

    // A patch value for a key the original lacks (or holds with another type): nulls dropped, directives removed.
    private static JsonNode? TakePatchValue(JsonNode? patchValue)
    {
        // Patch values are copied, never moved: callers still read the patch list for ordering.
        var value = patchValue?.DeepClone();
        DiscardNulls(value);
        RemoveDirectives(value, out var keep);
        return keep ? value : null;
    }

    private static void DiscardNulls(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject map:
                foreach (var (key, value) in map.ToList())
                {
                    if (JsonNodes.IsNull(value))
                    {
                        map.Remove(key);
                    }
                    else
                    {
                        DiscardNulls(value);
                    }
                }
                break;
            case JsonArray list:
                foreach (var item in list)
                {
                    DiscardNulls(item);
                }
                break;
        }
    }

    private static void StripDirectiveKeys(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject map:
                foreach (var key in map.Select(p => p.Key).Where(IsDirectiveKey).ToList())
                {
                    map.Remove(key);
                }
                foreach (var (_, value) in map)
                {
                    StripDirectiveKeys(value);
                }
                break;
            case JsonArray list:
                foreach (var item in list)
                {
                    StripDirectiveKeys(item);
                }
                break;
        }
    }

    private static bool IsDirectiveKey(string key) => key == DirectiveMarker || key == RetainKeysDirective
        || key.StartsWith(SetElementOrderPrefix + "/", StringComparison.Ordinal)
        || key.StartsWith(DeleteFromPrimitiveListPrefix + "/", StringComparison.Ordinal);

    private static bool IsDeleteDirective(JsonNode? item) =>
        item is JsonObject map && JsonNodes.AsString(map[DirectiveMarker]) == "delete";

    private static string ExtractKey(string key, string prefix, string error)
    {
        var parts = key.Split('/', 2);
        return parts.Length <= 1 || parts[0] != prefix ? throw new PatchException(error) : parts[1];
    }

    // Element kind of two lists as upstream's sliceElementType: all elements share one type; lists of lists are refused.
    private static bool ElementIsMap(List<JsonNode?> a, List<JsonNode?> b)
    {
        string? type = null;
        foreach (var item in a.Concat(b))
        {
            var current = JsonNodes.GoTypeName(item);
            if (type is null)
            {
                if (item is JsonArray)
                {
                    throw new PatchException("lists of lists are not supported");
                }
                type = current;
            }
            else if (type != current)
            {
                throw new PatchException("list element types are not identical: [" + JsonNodes.GoString(ToArrayCopy(a)) + " " + JsonNodes.GoString(ToArrayCopy(b)) + "]");
            }
        }
        return type is null ? throw new PatchException("no elements in any of the given slices") : type == "map[string]interface {}";
    }

    private static int IndexOf(List<JsonNode?> list, JsonNode? item, string? mergeKey, bool isMap)
    {
        for (var i = 0; i < list.Count; i++)
        {
            var equal = isMap
                ? ScalarEquals((list[i] as JsonObject)?[mergeKey!], (item as JsonObject)?[mergeKey!])
                : ScalarEquals(list[i], item);
            if (equal)
            {
                return i;
            }
        }
        return -1;
    }

    private static bool KeyEquals(JsonNode? item, string mergeKey, JsonNode? value) =>
        item is JsonObject map && map.TryGetPropertyValue(mergeKey, out var v) && ScalarEquals(v, value);

    // Go's == on decoded JSON scalars (string, float64, bool, nil); maps and lists never compare equal here.
    private static bool ScalarEquals(JsonNode? a, JsonNode? b) =>
        a is not (JsonObject or JsonArray) && b is not (JsonObject or JsonArray) && JsonNodes.SemanticEquals(a, b);

    // Go compares the decoded types: map, slice, string, float64, bool or nil.
    private static bool SameType(JsonNode? a, JsonNode? b) => JsonNodes.GoTypeName(a) == JsonNodes.GoTypeName(b);

    private static void SetOrRemove(JsonObject map, string key, JsonNode? value)
    {
        if (value is null)
        {
            map.Remove(key);
        }
        else
        {
            map[key] = Detach(value);
        }
    }

    // Nodes can have one parent only: take a node out of its parent before re-parenting it.
    private static JsonNode Detach(JsonNode? node)
    {
        switch (node?.Parent)
        {
            case JsonObject parent:
                parent.Remove(node.GetPropertyName());
                break;
            case JsonArray parent:
                parent.Remove(node);
                break;
        }
        return node!;
    }

    private static JsonArray ToArray(IEnumerable<JsonNode?> items)
    {
        var list = items.ToList();
        foreach (var item in list)
        {
            Detach(item);
        }
        return new JsonArray(list.ToArray());
    }

    private static JsonArray ToArrayCopy(List<JsonNode?> items) => new(items.Select(i => i?.DeepClone()).ToArray());

    private static string NoMergeKey(JsonObject map, string key) => "map: " + JsonNodes.GoString(map) + " does not contain declared merge key: " + key;

    private static string BadArgType(string expected, JsonNode? actual) => "expected a " + expected + ", but received a " + JsonNodes.GoTypeName(actual);
}
