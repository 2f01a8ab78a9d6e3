using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry.Validation;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// Event validation (pkg/apis/core/validation/events.go), on the core/v1 form whichever API the event came
/// through: the legacy rules for every request, the strict ones for events.k8s.io/v1. Paths are core field names
/// there too, as upstream validates the internal Event; only reportingController is named per API. The generic
/// object-metadata checks of the strict rules are the store's, which runs them for every kind.
/// </summary>
internal static class EventValidation
{
    private const int ReportingInstanceLengthLimit = 128;
    private const int ActionLengthLimit = 128;
    private const int ReasonLengthLimit = 128;
    private const int NoteLengthLimit = 1024;

    /// <summary>ValidateEventCreate; <paramref name="strict"/> for a request through events.k8s.io/v1.</summary>
    public static FieldErrorList ValidateCreate(JsonObject ev, bool strict)
    {
        var errors = Legacy(ev, strict);
        if (!strict)
        {
            return errors;
        }

        AddSeries(errors, ev);
        if (IsZeroTime(ev["eventTime"]))
        {
            errors.Add(FieldError.Required(FieldPath.Root("eventTime")));
        }

        if (Text(ev, "type") is not ("Normal" or "Warning") and var type)
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("type"), "", "has invalid value: " + type));
        }

        foreach (var field in new[] { "firstTimestamp", "lastTimestamp" })
        {
            if (!IsZeroTime(ev[field]))
            {
                errors.Add(FieldError.Invalid(FieldPath.Root(field), "", "needs to be unset"));
            }
        }

        if ((ev.LongAt("count") ?? 0) != 0)
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("count"), "", "needs to be unset"));
        }

        if (Text(ev, "source", "component").Length > 0 || Text(ev, "source", "host").Length > 0)
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("source"), "", "needs to be unset"));
        }

        return errors;
    }

    /// <summary>ValidateEventUpdate; through events.k8s.io/v1 everything but metadata and series is immutable.</summary>
    public static FieldErrorList ValidateUpdate(JsonObject ev, JsonObject old, bool strict)
    {
        var errors = Legacy(ev, strict);
        if (!strict)
        {
            return errors;
        }

        if (!JsonNode.DeepEquals(ev["series"], old["series"]))
        {
            AddSeries(errors, ev);
        }

        AddImmutable(errors, ev, old, "involvedObject", ObjectReference);
        foreach (var field in new[] { "reason", "message" })
        {
            AddImmutable(errors, ev, old, field, node => Text(node));
        }

        AddImmutable(errors, ev, old, "source", node => GoValue.Struct("core.EventSource", ("Component", Text(node, "component")), ("Host", Text(node, "host"))));
        AddImmutable(errors, ev, old, "firstTimestamp", node => GoValue.Time(node?.ToString()));
        AddImmutable(errors, ev, old, "lastTimestamp", node => GoValue.Time(node?.ToString()));
        AddImmutable(errors, ev, old, "count", node => (node as JsonValue)?.AsLong() ?? 0);
        AddImmutable(errors, ev, old, "type", node => Text(node));
        // Only a change beyond microseconds counts: clients truncate eventTime to them when serializing.
        if (Microseconds(ev["eventTime"]) != Microseconds(old["eventTime"]))
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("eventTime"), GoValue.Time(ev["eventTime"]?.ToString()), ObjectMetaValidation.FieldImmutableErrorMessage));
        }

        AddImmutable(errors, ev, old, "action", node => Text(node));
        AddImmutable(errors, ev, old, "related", node => node is null ? null : ObjectReference(node));
        AddImmutable(errors, ev, old, "reportingComponent", node => Text(node), shownAs: "reportingController");
        AddImmutable(errors, ev, old, "reportingInstance", node => Text(node));
        return errors;
    }

    // legacyValidateEvent: events without eventTime (the old API's) must agree with their object's namespace; those
    // with it must name their reporter, action and reason.
    private static FieldErrorList Legacy(JsonObject ev, bool eventsApi)
    {
        var errors = new FieldErrorList();
        var ns = ev.Namespace() ?? "";
        var involvedNamespace = Text(ev, "involvedObject", "namespace");
        var namespacePath = FieldPath.Root("involvedObject", "namespace");
        if (IsZeroTime(ev["eventTime"]))
        {
            var agrees = involvedNamespace.Length == 0 ? ns is "" or "default" : ns == involvedNamespace;
            if (!agrees)
            {
                errors.Add(FieldError.Invalid(namespacePath, involvedNamespace, "does not match event.namespace"));
            }
        }
        else
        {
            if (involvedNamespace.Length == 0 && ns is not ("default" or "kube-system"))
            {
                errors.Add(FieldError.Invalid(namespacePath, involvedNamespace, "does not match event.namespace"));
            }

            var controllerPath = FieldPath.Root(eventsApi ? "reportingController" : "reportingComponent");
            var controller = Text(ev, "reportingComponent");
            if (controller.Length == 0)
            {
                errors.Add(FieldError.Required(controllerPath));
            }

            errors.AddInvalid(controllerPath, controller, NameValidation.IsQualifiedName(controller));
            AddRequiredWithLimit(errors, ev, "reportingInstance", ReportingInstanceLengthLimit);
            AddRequiredWithLimit(errors, ev, "action", ActionLengthLimit);
            AddRequiredWithLimit(errors, ev, "reason", ReasonLengthLimit);
            AddLimit(errors, ev, "message", NoteLengthLimit);
        }

        errors.AddInvalid(FieldPath.Root("namespace"), ns, NameValidation.IsDns1123Subdomain(ns));
        return errors;
    }

    private static void AddSeries(FieldErrorList errors, JsonObject ev)
    {
        if (ev["series"] is not JsonObject series)
        {
            return;
        }

        // Upstream names these paths with a dot inside one step: field.NewPath("series.count").
        if ((series.LongAt("count") ?? 0) < 2)
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("series.count"), "", "should be at least 2"));
        }

        if (IsZeroTime(series["lastObservedTime"]))
        {
            errors.Add(FieldError.Required(FieldPath.Root("series.lastObservedTime")));
        }
    }

    private static void AddRequiredWithLimit(FieldErrorList errors, JsonObject ev, string field, int limit)
    {
        if (Text(ev, field).Length == 0)
        {
            errors.Add(FieldError.Required(FieldPath.Root(field)));
        }

        AddLimit(errors, ev, field, limit);
    }

    // Go's len counts bytes.
    private static void AddLimit(FieldErrorList errors, JsonObject ev, string field, int limit)
    {
        if (Encoding.UTF8.GetByteCount(Text(ev, field)) > limit)
        {
            errors.Add(FieldError.Invalid(FieldPath.Root(field), "", string.Create(CultureInfo.InvariantCulture, $"can have at most {limit} characters")));
        }
    }

    private static void AddImmutable(FieldErrorList errors, JsonObject ev, JsonObject old, string field, Func<JsonNode?, object?> show, string? shownAs = null)
    {
        if (!JsonNode.DeepEquals(Normalized(ev[field]), Normalized(old[field])))
        {
            errors.Add(FieldError.Invalid(FieldPath.Root(shownAs ?? field), show(ev[field]), ObjectMetaValidation.FieldImmutableErrorMessage));
        }
    }

    // Absent, null and Go's zero value ("", 0, {}) are one value to a typed Go field.
    private static JsonNode? Normalized(JsonNode? node) => node switch
    {
        JsonValue v when v.ToJsonString() is "\"\"" or "0" => null,
        JsonObject { Count: 0 } => null,
        _ => node,
    };

    // core.ObjectReference, the internal type ValidateImmutableField compares.
    private static GoValue ObjectReference(JsonNode? node) => GoValue.Struct(
        "core.ObjectReference",
        ("Kind", Text(node, "kind")),
        ("Namespace", Text(node, "namespace")),
        ("Name", Text(node, "name")),
        ("UID", Text(node, "uid")),
        ("APIVersion", Text(node, "apiVersion")),
        ("ResourceVersion", Text(node, "resourceVersion")),
        ("FieldPath", Text(node, "fieldPath")));

    private static bool IsZeroTime(JsonNode? node) => Microseconds(node) is null;

    // Go's zero time (absent, null, or year 1 itself) is null.
    private static long? Microseconds(JsonNode? node) =>
        node?.ToString() is { Length: > 0 } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) && time.UtcTicks > 0
            ? time.UtcTicks / 10
            : null;

    private static string Text(JsonNode? node, params ReadOnlySpan<string> path) => node.StringAt(path) ?? "";
}
