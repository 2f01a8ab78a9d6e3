using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// Events (pkg/registry/core/event/strategy.go), served as core/v1 and as events.k8s.io/v1, which names the same
/// fields differently (regarding/note/deprecatedSource...) and is stored as core/v1 (<see cref="EventVersionConverter"/>).
/// Both print the same columns, as upstream prints both from one internal Event.
/// </summary>
public sealed class EventStrategy : ResourceStrategyBase
{
    private readonly bool _eventsApi;

    /// <param name="eventsApi">True for events.k8s.io/v1 objects, false for core/v1.</param>
    public EventStrategy(bool eventsApi)
    {
        _eventsApi = eventsApi;
        Columns =
        [
            new("Last Seen", "string", (e, c) => LastSeen(e, c), 0, "", "The time at which the most recent occurrence of this event was recorded."),
            new("Type", "string", (e, _) => e.StringAt("type") ?? "", 0, "", "Type of this event (Normal, Warning), new types could be added in the future"),
            new("Reason", "string", (e, _) => e.StringAt("reason") ?? "", 0, "", "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
            new("Object", "string", (e, _) => Target(e), 0, "", "The object that this event is about."),
            new("Subobject", "string", (e, _) => e.StringAt(Regarding, "fieldPath") ?? "", 1, "", "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement."),
            new("Source", "string", (e, _) => Source(e), 1, "", "The component reporting this event. Should be a short machine understandable string."),
            new("Message", "string", (e, _) => (e.StringAt(_eventsApi ? "note" : "message") ?? "").Trim(), 0, "", "A human-readable description of the status of this operation."),
            new("First Seen", "string", (e, c) => FirstSeen(e, c), 1, "", "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)"),
            new("Count", "string", (e, _) => Count(e), 1, "", "The number of times this event has occurred."),
            new("Name", "string", (e, _) => e.Name(), 1, "name", CommonColumns.NameDescription),
        ];
    }

    protected override bool HasSpecAndStatus => false;

    public override FieldErrorList Validate(JsonObject obj) => EventValidation.ValidateCreate(CoreForm(obj), strict: _eventsApi);

    public override FieldErrorList ValidateUpdate(JsonObject updated, JsonObject old) =>
        EventValidation.ValidateUpdate(CoreForm(updated), CoreForm(old), strict: _eventsApi);

    public override IReadOnlyList<TableColumn> Columns { get; }

    private string Regarding => _eventsApi ? "regarding" : "involvedObject";

    private string ReportingController => _eventsApi ? "reportingController" : "reportingComponent";

    /// <summary>
    /// Each API selects under its own field names: core/v1 involvedObject.* and reportingComponent, events.k8s.io/v1
    /// regarding.* and reportingController (pkg/apis/events/v1/conversion.go AddFieldLabelConversionsForEvent maps
    /// those onto the core ones); reason, source and type are common.
    /// </summary>
    public override string? GetSelectableField(JsonObject obj, string field)
    {
        var referencePrefix = Regarding + ".";
        if (field.StartsWith(referencePrefix, StringComparison.Ordinal))
        {
            var name = field[referencePrefix.Length..];
            return name is "kind" or "namespace" or "name" or "uid" or "apiVersion" or "resourceVersion" or "fieldPath"
                ? obj.StringAt(Regarding, name) ?? ""
                : null;
        }

        if (field == ReportingController)
        {
            return obj.StringAt(ReportingController) ?? "";
        }

        return field switch
        {
            "reason" => obj.StringAt("reason") ?? "",
            // The source component, or the reporting controller of events that have none (ToSelectableFields).
            "source" => obj.StringAt(SourceField, "component") is { Length: > 0 } component ? component : obj.StringAt(ReportingController) ?? "",
            "type" => obj.StringAt("type") ?? "",
            _ => null,
        };
    }

    // Upstream validates the internal Event, whichever API served it: the core form here.
    private JsonObject CoreForm(JsonObject obj) => _eventsApi ? EventVersionConverter.Instance.ToStorage(obj) : obj;

    private string SourceField => _eventsApi ? "deprecatedSource" : "source";

    private string Target(JsonObject e)
    {
        var kind = (e.StringAt(Regarding, "kind") ?? "").ToLowerInvariant();
        return e.StringAt(Regarding, "name") is { Length: > 0 } name ? $"{kind}/{name}" : kind;
    }

    // formatEventSource: component (or reporting controller), then ", host" (or reporting instance) when known.
    private string Source(JsonObject e)
    {
        var component = FirstNonEmpty(e.StringAt(SourceField, "component"), e.StringAt(ReportingController));
        var instance = FirstNonEmpty(e.StringAt(SourceField, "host"), e.StringAt("reportingInstance"));
        return instance.Length == 0 ? component : $"{component}, {instance}";
    }

    private string FirstSeen(JsonObject e, TableContext context) =>
        e.StringAt(_eventsApi ? "deprecatedFirstTimestamp" : "firstTimestamp") is { Length: > 0 } first
            ? TableCells.Since(first, context)
            : TableCells.Since(e.StringAt("eventTime"), context);

    private string LastSeen(JsonObject e, TableContext context)
    {
        if (e.ObjectAt("series") is { } series)
        {
            return TableCells.Since(series.StringAt("lastObservedTime"), context);
        }

        return e.StringAt(_eventsApi ? "deprecatedLastTimestamp" : "lastTimestamp") is { Length: > 0 } last
            ? TableCells.Since(last, context)
            : FirstSeen(e, context);
    }

    // Singleton events of the new API carry no count: they happened once.
    private long Count(JsonObject e)
    {
        if (e.ObjectAt("series") is { } series)
        {
            return series.LongAt("count") ?? 0;
        }

        var count = e.LongAt(_eventsApi ? "deprecatedCount" : "count") ?? 0;
        return count == 0 ? 1 : count;
    }

    private static string FirstNonEmpty(string? first, string? second) => !string.IsNullOrEmpty(first) ? first : second ?? "";
}
