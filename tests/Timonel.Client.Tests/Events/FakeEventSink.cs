using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Timonel.Client.Events;

namespace Timonel.Client.Tests.Events;

/// <summary>
/// Stores core/v1 and events.k8s.io/v1 Events by namespace/name as an API server would (409 on a second create, a
/// patch of an absent Event answered as 404) and records each call as "CREATE name" or "PATCH name patch".
/// </summary>
internal sealed class FakeEventSink : IEventSink, IEventsV1Sink
{
    private readonly Lock _lock = new();
    private readonly List<string> _calls = [];
    private readonly Dictionary<string, Corev1Event> _core = [];
    private readonly Dictionary<string, Eventsv1Event> _v1 = [];
    private int _resourceVersion;

    /// <summary>When set, each call waits for it first (a server that does not answer).</summary>
    public Task? Gate { get; set; }

    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    public IReadOnlyList<Corev1Event> CoreEvents
    {
        get
        {
            lock (_lock)
            {
                return [.. _core.Values];
            }
        }
    }

    public IReadOnlyList<Eventsv1Event> V1Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _v1.Values];
            }
        }
    }

    public async Task<Corev1Event> CreateAsync(Corev1Event ev, CancellationToken cancellationToken)
    {
        await WaitGateAsync();
        lock (_lock)
        {
            _calls.Add($"CREATE {ev.Metadata.Name}");
            var stored = Copy(ev);
            stored.Metadata.ResourceVersion = (++_resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!_core.TryAdd(ev.Metadata.Name, stored))
            {
                throw Failure(HttpStatusCode.Conflict);
            }

            return Copy(stored);
        }
    }

    public async Task<Corev1Event?> PatchAsync(Corev1Event ev, string patch, CancellationToken cancellationToken)
    {
        await WaitGateAsync();
        lock (_lock)
        {
            _calls.Add($"PATCH {ev.Metadata.Name} {patch}");
            if (!_core.TryGetValue(ev.Metadata.Name, out var stored))
            {
                return null;
            }

            var fields = System.Text.Json.Nodes.JsonNode.Parse(patch)!.AsObject();
            stored.Count = (int)fields["count"]!;
            stored.Message = (string?)fields["message"];
            stored.LastTimestamp = ev.LastTimestamp;
            return Copy(stored);
        }
    }

    public async Task<Eventsv1Event> CreateAsync(Eventsv1Event ev, CancellationToken cancellationToken)
    {
        await WaitGateAsync();
        lock (_lock)
        {
            _calls.Add($"CREATE {ev.Metadata.Name}");
            if (!_v1.TryAdd(ev.Metadata.Name, Copy(ev)))
            {
                throw Failure(HttpStatusCode.Conflict);
            }

            return Copy(ev);
        }
    }

    public async Task<Eventsv1Event?> PatchAsync(Eventsv1Event ev, string patch, CancellationToken cancellationToken)
    {
        await WaitGateAsync();
        lock (_lock)
        {
            _calls.Add($"PATCH {ev.Metadata.Name} {patch}");
            if (!_v1.TryGetValue(ev.Metadata.Name, out var stored))
            {
                return null;
            }

            stored.Series = Copy(ev).Series;
            return Copy(stored);
        }
    }

    /// <summary>Waits (without a deadline of its own: the test's timeout applies) until <paramref name="count"/> calls were made.</summary>
    public async Task WaitForCallsAsync(int count)
    {
        while (Calls.Count < count)
        {
            await Task.Delay(5);
        }
    }

    private static HttpOperationException Failure(HttpStatusCode status) =>
        new() { Response = new HttpResponseMessageWrapper(new HttpResponseMessage(status), "") };

    private static T Copy<T>(T obj) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(obj));

    private Task WaitGateAsync() => Gate ?? Task.CompletedTask;
}
