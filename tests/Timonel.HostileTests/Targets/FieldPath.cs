using System.Text.Json.Nodes;

namespace Timonel.HostileTests.Targets;

/// <summary>A field of a kind reached from the object's root, with its type as the field catalog spells it.</summary>
internal sealed record FieldPath(IReadOnlyList<FieldStep> Steps, string Type)
{
    /// <summary>A path written as the suite's comments write it: "spec.ports[0].targetPort".</summary>
    public static FieldPath Parse(string dotted, string type = "any") =>
        new(dotted.Replace("[0]", ".[0]", StringComparison.Ordinal).Split('.').Select(s => s == "[0]" ? FieldStep.Item : new FieldStep(s)).ToList(), type);

    public string Dotted => string.Join('.', Steps).Replace(".[0]", "[0]", StringComparison.Ordinal);

    /// <summary>
    /// A copy of <paramref name="body"/> with this field set to <paramref name="value"/>, creating the objects, maps and
    /// one-item lists on the way (replacing what stood there when it was of another JSON type).
    /// </summary>
    public JsonObject SetIn(JsonObject body, JsonNode value)
    {
        var root = (JsonObject)body.DeepClone();
        JsonNode current = root;
        for (var i = 0; i < Steps.Count; i++)
        {
            var last = i == Steps.Count - 1;
            JsonNode Next(JsonNode? existing) => last ? value.DeepClone()
                : Steps[i + 1].IsItem ? existing as JsonArray ?? new JsonArray()
                : existing as JsonObject ?? new JsonObject();
            if (Steps[i].IsItem)
            {
                var list = (JsonArray)current;
                var next = Next(list.Count > 0 ? list[0] : null);
                if (list.Count == 0)
                {
                    list.Add(next);
                }
                else if (!ReferenceEquals(list[0], next))
                {
                    list[0] = next;
                }

                current = next;
            }
            else
            {
                var obj = (JsonObject)current;
                var next = Next(obj[Steps[i].Property!]);
                if (!ReferenceEquals(obj[Steps[i].Property!], next))
                {
                    obj[Steps[i].Property!] = next;
                }

                current = next;
            }
        }

        return root;
    }
}
