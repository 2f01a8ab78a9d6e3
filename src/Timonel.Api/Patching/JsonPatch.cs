using System.Globalization;
using System.Text.Json.Nodes;

namespace Timonel.Api.Patching;

/// <summary>
/// JSON patch (RFC 6902, <c>application/json-patch+json</c>) with the semantics and error texts of
/// evanphx/json-patch v4, which the API server uses: add, remove, replace, move, copy, test; "-" appends;
/// negative array indices count from the end; replacing a missing object key adds it (a v4 quirk kept on purpose).
/// </summary>
public static class JsonPatch
{
    private const string Missing = "missing value";
    private const string InvalidIndex = "invalid index referenced";

    /// <summary>
    /// How many bytes copy operations may add to a document in all: kube-apiserver sets evanphx's
    /// AccumulatedCopySizeLimit from JSONPatchMaxCopyBytes, 3 MiB by default (apiserver/pkg/server/config.go).
    /// </summary>
    public const long MaxCopyBytes = 3 * 1024 * 1024;

    /// <summary>
    /// Applies the operations (a JSON array of operation objects) to a copy of <paramref name="document"/>.
    /// Throws <see cref="PatchException"/> with upstream's message on the first failing operation.
    /// </summary>
    public static JsonNode Apply(JsonNode document, JsonNode? operations)
    {
        if (operations is not JsonArray list || list.Any(o => o is not JsonObject))
        {
            throw new PatchException("json: cannot unmarshal " + KindName(operations) + " into Go value of type jsonpatch.Patch", isMalformedPatch: true);
        }
        var root = new Holder(document.DeepClone());
        long copied = 0;
        foreach (var operation in list.Cast<JsonObject>())
        {
            var kind = JsonNodes.AsString(operation["op"]) ?? "unknown";
            switch (kind)
            {
                case "add": Add(root, operation); break;
                case "remove": Remove(root, operation); break;
                case "replace": Replace(root, operation); break;
                case "move": Move(root, operation); break;
                case "test": Test(root, operation); break;
                case "copy": copied += Copy(root, operation, copied); break;
                default: throw new PatchException("Unexpected kind: " + kind);
            }
        }
        return root.Node!;
    }

    private static void Add(Holder root, JsonObject operation)
    {
        var path = PathOf(operation) ?? throw new PatchException("add operation failed to decode path: " + Missing);
        var (container, key) = FindContainer(root, path);
        if (container is null)
        {
            throw new PatchException($"add operation does not apply: doc is missing path: \"{path}\": {Missing}");
        }
        var error = AddTo(container, key, ValueOf(operation));
        if (error is not null)
        {
            throw new PatchException($"error in add for path: '{path}': {error}");
        }
    }

    private static void Remove(Holder root, JsonObject operation)
    {
        var path = PathOf(operation) ?? throw new PatchException("remove operation failed to decode path: " + Missing);
        var (container, key) = FindContainer(root, path);
        if (container is null)
        {
            throw new PatchException($"remove operation does not apply: doc is missing path: \"{path}\": {Missing}");
        }
        var error = RemoveFrom(container, key, out _);
        if (error is not null)
        {
            throw new PatchException($"error in remove for path: '{path}': {error}");
        }
    }

    private static void Replace(Holder root, JsonObject operation)
    {
        var path = PathOf(operation) ?? throw new PatchException("replace operation failed to decode path: operation missing path field: " + Missing);
        if (path.Length == 0)
        {
            var value = ValueOf(operation);
            if (value is not (JsonObject or JsonArray))
            {
                // Upstream wraps a nil error here, which Go prints as %!w(<nil>).
                throw new PatchException("replace operation value must be object or array: %!w(<nil>)");
            }
            root.Node = value;
            return;
        }
        var (container, key) = FindContainer(root, path);
        if (container is null)
        {
            throw new PatchException($"replace operation does not apply: doc is missing path: {path}: {Missing}");
        }
        if (container is JsonArray array)
        {
            var error = ResolveIndex(array, key, array.Count, out var index);
            if (error is not null)
            {
                throw new PatchException($"replace operation does not apply: doc is missing key: {path}: {Missing}");
            }
            array[index] = ValueOf(operation);
        }
        else
        {
            // evanphx v4 reads a missing object key as null without error, so replace then behaves as add.
            ((JsonObject)container)[key] = ValueOf(operation);
        }
    }

    private static void Move(Holder root, JsonObject operation)
    {
        var from = FromOf(operation) ?? throw new PatchException("move operation failed to decode from: operation, missing from field: " + Missing);
        var (source, fromKey) = FindContainer(root, from);
        if (source is null)
        {
            throw new PatchException($"move operation does not apply: doc is missing from path: {from}: {Missing}");
        }
        var getError = Get(source, fromKey, out _);
        if (getError is not null)
        {
            throw new PatchException($"error in move for path: '{fromKey}': {getError}");
        }
        var removeError = RemoveFrom(source, fromKey, out var value);
        if (removeError is not null)
        {
            throw new PatchException($"error in move for path: '{fromKey}': {removeError}");
        }
        var path = PathOf(operation) ?? throw new PatchException("move operation failed to decode path: operation missing path field: " + Missing);
        var (target, key) = FindContainer(root, path);
        if (target is null)
        {
            throw new PatchException($"move operation does not apply: doc is missing destination path: {path}: {Missing}");
        }
        var addError = AddTo(target, key, value);
        if (addError is not null)
        {
            throw new PatchException($"error in move for path: '{path}': {addError}");
        }
    }

    private static void Test(Holder root, JsonObject operation)
    {
        var path = PathOf(operation) ?? throw new PatchException("test operation failed to decode path: operation missing path field: " + Missing);
        var hasValue = operation.TryGetPropertyValue("value", out var expected);
        if (path.Length == 0)
        {
            if (!JsonNodes.SemanticEquals(root.Node, expected))
            {
                throw new PatchException($"testing value {path} failed: test failed");
            }
            return;
        }
        var (container, key) = FindContainer(root, path);
        if (container is null)
        {
            throw new PatchException($"test operation does not apply: is missing path: {path}: {Missing}");
        }
        var error = Get(container, key, out var actual);
        if (error is not null)
        {
            throw new PatchException($"error in test for path: '{path}': {error}");
        }
        var matches = actual is null
            ? !hasValue || JsonNodes.IsNull(expected)
            : hasValue && JsonNodes.SemanticEquals(actual, expected);
        if (!matches)
        {
            throw new PatchException($"testing value {path} failed: test failed");
        }
    }

    // Returns the size of the copied value, as json.Marshal writes it.
    private static long Copy(Holder root, JsonObject operation, long copiedBefore)
    {
        var from = FromOf(operation) ?? throw new PatchException("copy operation failed to decode from: operation, missing from field: " + Missing);
        var (source, fromKey) = FindContainer(root, from);
        if (source is null)
        {
            throw new PatchException($"copy operation does not apply: doc is missing from path: {from}: {Missing}");
        }
        var getError = Get(source, fromKey, out var value);
        if (getError is not null)
        {
            throw new PatchException($"error in copy for from: '{from}': {getError}");
        }
        var path = PathOf(operation) ?? throw new PatchException("copy operation failed to decode path: " + Missing);
        var (target, key) = FindContainer(root, path);
        if (target is null)
        {
            throw new PatchException($"copy operation does not apply: doc is missing destination path: {path}: {Missing}");
        }
        var size = value is null ? 0 : System.Text.Encoding.UTF8.GetByteCount(value.ToJsonString(Objects.NestingLimit.SerializerOptions));
        if (copiedBefore + size > MaxCopyBytes)
        {
            // evanphx's AccumulatedCopySizeError.
            throw new PatchException($"Unable to complete the copy, the accumulated size increase of copy is {copiedBefore + size}, exceeding the limit {MaxCopyBytes}");
        }
        var addError = AddTo(target, key, value?.DeepClone());
        if (addError is not null)
        {
            throw new PatchException($"error while adding value during copy: {addError}");
        }
        return size;
    }

    // Walks all but the last token; null when any step is missing, null, a scalar or a bad index.
    private static (JsonNode? Container, string Key) FindContainer(Holder root, string path)
    {
        var tokens = path.Split('/');
        if (tokens.Length < 2)
        {
            return (null, string.Empty);
        }
        var current = root.Node;
        for (var i = 1; i < tokens.Length - 1; i++)
        {
            if (current is not (JsonObject or JsonArray) || Get(current, JsonPointer.Unescape(tokens[i]), out var next) is not null || JsonNodes.IsNull(next))
            {
                return (null, string.Empty);
            }
            current = next;
        }
        return current is JsonObject or JsonArray ? (current, JsonPointer.Unescape(tokens[^1])) : (null, string.Empty);
    }

    private static string? Get(JsonNode container, string key, out JsonNode? value)
    {
        value = null;
        if (container is JsonObject obj)
        {
            obj.TryGetPropertyValue(key, out value);
            return null;
        }
        var array = (JsonArray)container;
        var error = ResolveIndex(array, key, array.Count, out var index);
        if (error is null)
        {
            value = array[index];
        }
        return error;
    }

    private static string? AddTo(JsonNode container, string key, JsonNode? value)
    {
        if (container is JsonObject obj)
        {
            obj[key] = value;
            return null;
        }
        var array = (JsonArray)container;
        if (key == "-")
        {
            array.Add(value);
            return null;
        }
        if (!TryAtoi(key, out var index, out var atoiError))
        {
            return $"value was not a proper array index: '{key}': {atoiError}";
        }
        var size = array.Count + 1;
        if (index >= size || index < -size)
        {
            return $"Unable to access invalid index: {index}: {InvalidIndex}";
        }
        array.Insert(index < 0 ? index + size : index, value);
        return null;
    }

    private static string? RemoveFrom(JsonNode container, string key, out JsonNode? removed)
    {
        removed = null;
        if (container is JsonObject obj)
        {
            if (!obj.TryGetPropertyValue(key, out removed))
            {
                return $"Unable to remove nonexistent key: {key}: {Missing}";
            }
            obj.Remove(key);
            return null;
        }
        var array = (JsonArray)container;
        var error = ResolveIndex(array, key, array.Count, out var index);
        if (error is not null)
        {
            return error;
        }
        removed = array[index];
        array.RemoveAt(index);
        return null;
    }

    private static string? ResolveIndex(JsonArray array, string key, int size, out int index)
    {
        if (!TryAtoi(key, out index, out var atoiError))
        {
            return atoiError;
        }
        if (index >= size || index < -size)
        {
            return $"Unable to access invalid index: {index}: {InvalidIndex}";
        }
        if (index < 0)
        {
            index += array.Count;
        }
        return null;
    }

    // Go's strconv.Atoi, with its error text.
    private static bool TryAtoi(string key, out int value, out string error)
    {
        error = string.Empty;
        if (int.TryParse(key, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }
        var digits = key.TrimStart('+', '-');
        var outOfRange = digits.Length > 0 && digits.All(char.IsAsciiDigit);
        error = $"strconv.Atoi: parsing {Internal.GoFormat.Quote(key)}: " + (outOfRange ? "value out of range" : "invalid syntax");
        return false;
    }

    private static string? PathOf(JsonObject operation) => JsonNodes.AsString(operation["path"]);

    private static string? FromOf(JsonObject operation) => JsonNodes.AsString(operation["from"]);

    private static JsonNode? ValueOf(JsonObject operation) => operation["value"]?.DeepClone();

    private static string KindName(JsonNode? node) => node switch
    {
        JsonObject => "object",
        JsonArray => "array",
        null => "null",
        _ => node.GetValueKind().ToString().ToLowerInvariant(),
    };

    // The document root, replaceable by a whole-document replace.
    private sealed class Holder(JsonNode? node)
    {
        public JsonNode? Node { get; set; } = node;
    }
}
