using System.Text.Json.Nodes;
using k8s.Models;

namespace Timonel.Client.Events;

/// <summary>
/// Remembers the events written, by correlation key (client-go's eventLogger, events_cache.go): a repeat of one
/// becomes a strategic merge patch of the existing Event (count + 1, lastTimestamp, message) instead of a new object.
/// </summary>
internal sealed class EventLogger
{
    private readonly Lock _lock = new();
    private readonly LruCache<Observation> _cache;

    public EventLogger(int cacheSize)
    {
        _cache = new LruCache<Observation>(cacheSize);
    }

    /// <summary>The event as it should be written, and the patch to write it with when it repeats an earlier one (else null).</summary>
    public (Corev1Event Event, string? Patch) Observe(Corev1Event newEvent, string key)
    {
        var ev = Copy(newEvent);
        string? patch = null;
        lock (_lock)
        {
            if (_cache.TryGet(key, out var last) && last.Count > 0)
            {
                ev.Metadata.Name = last.Name;
                ev.Metadata.ResourceVersion = last.ResourceVersion;
                ev.FirstTimestamp = last.FirstTimestamp;
                ev.Count = last.Count + 1;

                // What CreateTwoWayMergePatch yields between the event with count, lastTimestamp and message
                // cleared and the event itself: exactly those three fields.
                patch = new JsonObject
                {
                    ["count"] = ev.Count,
                    ["lastTimestamp"] = ev.LastTimestamp?.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                    ["message"] = ev.Message,
                }.ToJsonString();
            }

            _cache.Add(key, new Observation(ev.Count ?? 1, ev.FirstTimestamp, ev.Metadata.Name, ev.Metadata.ResourceVersion));
        }

        return (ev, patch);
    }

    /// <summary>updateState: takes the server's name and resourceVersion of what was written.</summary>
    public void Update(Corev1Event written)
    {
        lock (_lock)
        {
            _cache.Add(EventKeys.Event(written), new Observation(written.Count ?? 1, written.FirstTimestamp, written.Metadata.Name, written.Metadata.ResourceVersion));
        }
    }

    private static Corev1Event Copy(Corev1Event e) => new()
    {
        ApiVersion = e.ApiVersion,
        Kind = e.Kind,
        Metadata = new V1ObjectMeta
        {
            Name = e.Metadata.Name,
            NamespaceProperty = e.Metadata.NamespaceProperty,
            ResourceVersion = e.Metadata.ResourceVersion,
            Annotations = e.Metadata.Annotations,
        },
        InvolvedObject = e.InvolvedObject,
        Reason = e.Reason,
        Message = e.Message,
        Type = e.Type,
        Source = e.Source,
        ReportingComponent = e.ReportingComponent,
        ReportingInstance = e.ReportingInstance,
        FirstTimestamp = e.FirstTimestamp,
        LastTimestamp = e.LastTimestamp,
        Count = e.Count,
    };

    private sealed record Observation(int Count, DateTime? FirstTimestamp, string Name, string? ResourceVersion);
}
