using k8s.Models;

namespace Timonel.Client.Events;

/// <summary>The keys client-go's event correlator groups core/v1 Events by (tools/record/events_cache.go).</summary>
internal static class EventKeys
{
    /// <summary>getEventKey: identical events (same source, object, type, reason and message) share it.</summary>
    public static string Event(Corev1Event e) => string.Concat(
    [
        e.Source?.Component, e.Source?.Host, e.InvolvedObject.Kind, e.InvolvedObject.NamespaceProperty, e.InvolvedObject.Name,
        e.InvolvedObject.FieldPath, e.InvolvedObject.Uid, e.InvolvedObject.ApiVersion, e.Type, e.Reason, e.Message,
    ]);

    /// <summary>getSpamKey: one token bucket per source and object (and type).</summary>
    public static string Spam(Corev1Event e) => string.Concat(
    [
        e.Source?.Component, e.Source?.Host, e.InvolvedObject.Kind, e.InvolvedObject.NamespaceProperty, e.InvolvedObject.Name,
        e.InvolvedObject.Uid, e.InvolvedObject.ApiVersion, e.Type,
    ]);

    /// <summary>EventAggregatorByReasonFunc: events differing only in message share the aggregate key; the message is the local key.</summary>
    public static (string Aggregate, string Local) AggregateByReason(Corev1Event e) => (
        string.Concat(
        [
            e.Source?.Component, e.Source?.Host, e.InvolvedObject.Kind, e.InvolvedObject.NamespaceProperty, e.InvolvedObject.Name,
            e.InvolvedObject.Uid, e.InvolvedObject.ApiVersion, e.Type, e.Reason, e.ReportingComponent, e.ReportingInstance,
        ]),
        e.Message ?? "");
}
