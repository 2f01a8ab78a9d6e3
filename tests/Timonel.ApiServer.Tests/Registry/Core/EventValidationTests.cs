namespace Timonel.ApiServer.Tests.Registry.Core;

/// <summary>Event validation as pkg/apis/core/validation/events.go does it, through either API.</summary>
public sealed class EventValidationTests
{
    public static TheoryData<string, string, string?> Events() => new()
    {
        // Legacy rules (both APIs): without eventTime the event's namespace must be its object's.
        { "", "{involvedObject: {kind: Pod, name: web, namespace: other}, reason: Pulled}",
            "Event \"e\" is invalid: involvedObject.namespace: Invalid value: \"other\": does not match event.namespace" },
        { "", "{involvedObject: {kind: Pod, name: web, namespace: default}, reason: Pulled, message: m}", null },
        // With eventTime: reporter, instance, action and reason are required; core names the reporter reportingComponent.
        { "", "{involvedObject: {kind: Pod, name: web, namespace: default}, eventTime: '2026-01-02T03:04:05.000000Z'}",
            "Event \"e\" is invalid: [reportingComponent: Required value, reportingComponent: Invalid value: \"\": name part must be non-empty, reportingComponent: Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]'), reportingInstance: Required value, action: Required value, reason: Required value]" },
        // Strict rules (events.k8s.io/v1 only).
        { "events.k8s.io", "{regarding: {kind: Pod, name: web, namespace: default}, reportingController: kubelet, reportingInstance: n1, action: Pull, reason: Pulled}",
            "Event.events.k8s.io \"e\" is invalid: [eventTime: Required value, type: Invalid value: \"\": has invalid value: ]" },
        { "events.k8s.io", "{eventTime: '2026-01-02T03:04:05.000000Z', regarding: {kind: Pod, name: web, namespace: default}, reportingController: kubelet, reportingInstance: n1, action: Pull, reason: Pulled, type: Normal, deprecatedCount: 2, deprecatedSource: {component: kubelet}, series: {count: 1}}",
            "Event.events.k8s.io \"e\" is invalid: [series.count: Invalid value: \"\": should be at least 2, series.lastObservedTime: Required value, count: Invalid value: \"\": needs to be unset, source: Invalid value: \"\": needs to be unset]" },
        { "events.k8s.io", "{eventTime: '2026-01-02T03:04:05.000000Z', regarding: {kind: Pod, name: web, namespace: default}, reportingController: example.com/ctl, reportingInstance: n1, action: Pull, reason: Pulled, type: Warning, note: " + new string('x', 1025) + "}",
            "Event.events.k8s.io \"e\" is invalid: message: Invalid value: \"\": can have at most 1024 characters" },
    };

    [Theory]
    [MemberData(nameof(Events))]
    public void Validate_Event_AnswersUpstreamMessage(string group, string fields, string? expected)
    {
        var apiVersion = group.Length == 0 ? "v1" : group + "/v1";
        Assert.Equal(expected, ValidationSteps.CreateMessage(group, $"{{apiVersion: {apiVersion}, kind: Event, metadata: {{name: e}}, {fields[1..^1]}}}"));
    }

    // ValidateEventUpdate through events.k8s.io/v1: eventTime may change below a microsecond only; Times print as Go's String().
    [Theory]
    [InlineData("2026-01-02T03:04:05.0000004Z", null)]
    [InlineData("2026-01-02T03:04:06.5Z", "Event.events.k8s.io \"e\" is invalid: eventTime: Invalid value: 2026-01-02 03:04:06.5 +0000 UTC: field is immutable")]
    public void ValidateUpdate_EventsApiEventTime_ImmutableToTheMicrosecond(string eventTime, string? expected)
    {
        const string created = "{apiVersion: events.k8s.io/v1, kind: Event, metadata: {name: e}, eventTime: '2026-01-02T03:04:05.000000Z', regarding: {kind: Pod, name: web, namespace: default}, reportingController: kubelet, reportingInstance: n1, action: Pull, reason: Pulled, type: Normal}";

        Assert.Equal(expected, ValidationSteps.UpdateMessage("events.k8s.io", created, e => e["eventTime"] = eventTime));
    }
}
