using System.Text.Json;
using System.Text.Json.Nodes;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// events.k8s.io/v1 Events to and from core/v1 Events, the form upstream stores both in (the events.k8s.io REST
/// storage is the core event store). The renames are upstream's Convert_v1_Event_To_core_Event and back
/// (pkg/apis/events/v1/conversion.go); fields of the same name are copied as they are
/// (zz_generated.conversion.go). Which fields are written even when empty follows the Go types' JSON tags
/// (k8s.io/api events/v1 and core/v1 types.go): a struct is always written (ObjectReference as {}, a zero
/// Time as null), a field without omitempty too; the rest are left out when empty.
/// </summary>
public sealed class EventVersionConverter : IVersionConverter
{
    /// <summary>core/v1 Event fields in the Go struct's order, each with its events.k8s.io/v1 name.</summary>
    private static readonly Field[] _coreFields =
    [
        new("involvedObject", "regarding", Zero.EmptyObject),
        new("reason", "reason", Zero.Omitted),
        new("message", "note", Zero.Omitted),
        new("source", "deprecatedSource", Zero.EmptyObject),
        new("firstTimestamp", "deprecatedFirstTimestamp", Zero.Null),
        new("lastTimestamp", "deprecatedLastTimestamp", Zero.Null),
        new("count", "deprecatedCount", Zero.Omitted),
        new("type", "type", Zero.Omitted),
        new("eventTime", "eventTime", Zero.Null),
        new("series", "series", Zero.Omitted),
        new("action", "action", Zero.Omitted),
        new("related", "related", Zero.Omitted),
        new("reportingComponent", "reportingController", Zero.EmptyString),
        new("reportingInstance", "reportingInstance", Zero.EmptyString),
    ];

    /// <summary>events.k8s.io/v1 Event fields in the Go struct's order, each with its core/v1 name.</summary>
    private static readonly Field[] _eventsFields =
    [
        new("eventTime", "eventTime", Zero.Null),
        new("series", "series", Zero.Omitted),
        new("reportingController", "reportingComponent", Zero.Omitted),
        new("reportingInstance", "reportingInstance", Zero.Omitted),
        new("action", "action", Zero.Omitted),
        new("reason", "reason", Zero.Omitted),
        new("regarding", "involvedObject", Zero.EmptyObject),
        new("related", "related", Zero.Omitted),
        new("note", "message", Zero.Omitted),
        new("type", "type", Zero.Omitted),
        new("deprecatedSource", "source", Zero.EmptyObject),
        new("deprecatedFirstTimestamp", "firstTimestamp", Zero.Null),
        new("deprecatedLastTimestamp", "lastTimestamp", Zero.Null),
        new("deprecatedCount", "count", Zero.Omitted),
    ];

    public static EventVersionConverter Instance { get; } = new();

    public JsonObject ToStorage(JsonObject served) => Convert(served, "v1", _coreFields);

    public JsonObject FromStorage(JsonObject stored) => Convert(stored, "events.k8s.io/v1", _eventsFields);

    // Target fields are written in the target struct's order, each read from the source under its peer name.
    private static JsonObject Convert(JsonObject source, string apiVersion, Field[] targetFields)
    {
        var target = new JsonObject
        {
            ["kind"] = "Event",
            ["apiVersion"] = apiVersion,
            ["metadata"] = source["metadata"]?.DeepClone() ?? new JsonObject(),
        };
        foreach (var field in targetFields)
        {
            var value = source[field.Peer];
            if (!IsEmpty(value))
            {
                target[field.Name] = value!.DeepClone();
                continue;
            }

            switch (field.Zero)
            {
                case Zero.Null:
                    target[field.Name] = null;
                    break;
                case Zero.EmptyObject:
                    target[field.Name] = new JsonObject();
                    break;
                case Zero.EmptyString:
                    target[field.Name] = "";
                    break;
            }
        }

        return target;
    }

    // Go's omitempty: null, "", 0 and false are empty; an object or array is a value (a struct is never empty).
    private static bool IsEmpty(JsonNode? value) => value switch
    {
        null => true,
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>().Length == 0,
            JsonValueKind.Number => v.ToJsonString() is "0" or "0.0",
            JsonValueKind.False or JsonValueKind.Null => true,
            _ => false,
        },
        _ => false,
    };

    /// <summary>What a field holds in the output when the input has nothing for it.</summary>
    private enum Zero
    {
        /// <summary>Left out (omitempty on a scalar or pointer).</summary>
        Omitted,

        /// <summary>null (a zero metav1.Time or MicroTime, which Go writes whatever the tag says).</summary>
        Null,

        /// <summary>{} (a struct, which omitempty never leaves out).</summary>
        EmptyObject,

        /// <summary>"" (a string without omitempty).</summary>
        EmptyString,
    }

    /// <summary>One output field: its name, the input's name for it, and what it holds when the input has none.</summary>
    private sealed record Field(string Name, string Peer, Zero Zero);
}
