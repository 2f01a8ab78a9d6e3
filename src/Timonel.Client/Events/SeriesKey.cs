using k8s.Models;

namespace Timonel.Client.Events;

/// <summary>What makes two events.k8s.io/v1 events isomorphic, i.e. one series (client-go tools/events eventKey).</summary>
internal readonly record struct SeriesKey(string? Type, string? Action, string? Reason, string? ReportingController, string? ReportingInstance, ReferenceKey Regarding, ReferenceKey Related)
{
    public static SeriesKey Of(Eventsv1Event ev) =>
        new(ev.Type, ev.Action, ev.Reason, ev.ReportingController, ev.ReportingInstance, ReferenceKey.Of(ev.Regarding), ReferenceKey.Of(ev.Related));
}
