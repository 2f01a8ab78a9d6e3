using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Timonel.Api.Objects;

namespace Timonel.ApiServer.Json;

/// <summary>
/// Reads JSON into a tree as Go's encoding/json (sigs.k8s.io/json, upstream's decoder) does where System.Text.Json
/// would refuse or fail later: a key repeated in an object keeps its last value and is reported by its field path
/// (for strict decoding), and a lone UTF-16 surrogate escape such as "\ud800" becomes U+FFFD.
/// </summary>
public static class GoJsonReader
{
    private static readonly JsonDocumentOptions _options = new() { MaxDepth = NestingLimit.MaxDepth };

    /// <summary>The tree of <paramref name="utf8"/> (valid UTF-8); throws <see cref="JsonException"/> when it is not JSON.</summary>
    public static JsonNode? Parse(byte[] utf8, out IReadOnlyList<string> duplicateFields)
    {
        // Not disposed: the tree's numbers stay views over the document, as JsonNode.Parse leaves them.
        var document = JsonDocument.Parse(utf8, _options);
        var walk = new Walk();
        var node = walk.Read(document.RootElement);
        duplicateFields = walk.Duplicates;
        return node;
    }

    private sealed class Walk
    {
        // Where the walk is: a key, or an array index when the key is null. Joined into a path only for a duplicate.
        private readonly List<(string? Key, int Index)> _path = [];

        public List<string> Duplicates { get; } = [];

        public JsonNode? Read(JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.Object => ReadObject(element),
            JsonValueKind.Array => ReadArray(element),
            JsonValueKind.String => JsonValue.Create(ReadString(element)),
            JsonValueKind.Null => null,
            _ => JsonValue.Create(element),
        };

        private JsonObject ReadObject(JsonElement element)
        {
            var obj = new JsonObject();
            foreach (var property in element.EnumerateObject())
            {
                var name = ReadName(property);
                _path.Add((name, 0));
                var value = Read(property.Value);
                if (!obj.TryAdd(name, value))
                {
                    // Go's decoder overwrites the earlier value and records a strict error (kubernetes_patch.go).
                    Duplicates.Add(PathText());
                    obj[name] = value;
                }

                _path.RemoveAt(_path.Count - 1);
            }

            return obj;
        }

        private JsonArray ReadArray(JsonElement element)
        {
            var array = new JsonArray();
            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                _path.Add((null, index++));
                array.Add(Read(item));
                _path.RemoveAt(_path.Count - 1);
            }

            return array;
        }

        // sigs.k8s.io/json's strictFieldStack: keys joined by ".", array indices as "[i]".
        private string PathText()
        {
            var text = new System.Text.StringBuilder();
            foreach (var (key, index) in _path)
            {
                if (key is null)
                {
                    text.Append('[').Append(index.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(']');
                }
                else
                {
                    text.Append(text.Length == 0 ? "" : ".").Append(key);
                }
            }

            return text.ToString();
        }

        private static string ReadString(JsonElement element)
        {
            try
            {
                return element.GetString()!;
            }
            catch (InvalidOperationException)
            {
                var raw = JsonMarshal.GetRawUtf8Value(element);
                return GoJsonString.Unescape(raw[1..^1]);
            }
        }

        private static string ReadName(JsonProperty property)
        {
            try
            {
                return property.Name;
            }
            catch (InvalidOperationException)
            {
                return GoJsonString.Unescape(JsonMarshal.GetRawUtf8PropertyName(property));
            }
        }
    }
}
