using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Timonel.Client.Events;

/// <summary>
/// Writes the events.k8s.io/v1 Events of every recorder it made, as client-go's tools/events broadcaster does: a
/// bounded queue (beyond it events are dropped), drained by a few writers. An event isomorphic to one already
/// written (same type, action, reason, reporter, regarding and related objects) becomes a series: the second
/// occurrence patches the Event with series.count 2, later ones only count in memory and are written by the periodic
/// refresh (every 30 min) or when the series ends (no occurrence for 6 min; then it is forgotten, as are single
/// events older than 6 min).
/// </summary>
public sealed class EventsV1Broadcaster : IAsyncDisposable
{
    /// <summary>maxQueuedEvents (tools/events/event_broadcaster.go).</summary>
    public const int MaxQueuedEvents = 1000;

    /// <summary>maxTriesPerEvent.</summary>
    public const int MaxTriesPerEvent = 12;

    /// <summary>finishTime: a series with no occurrence for this long is finished.</summary>
    public static readonly TimeSpan FinishTime = TimeSpan.FromMinutes(6);

    /// <summary>refreshTime: how often the open series are written.</summary>
    public static readonly TimeSpan RefreshTime = TimeSpan.FromMinutes(30);

    /// <summary>defaultSleepDuration, jittered by a quarter.</summary>
    public static readonly TimeSpan DefaultSleepDuration = TimeSpan.FromSeconds(10);

    private readonly Channel<Eventsv1Event> _queue = Channel.CreateBounded<Eventsv1Event>(new BoundedChannelOptions(MaxQueuedEvents) { FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<SeriesKey, Eventsv1Event> _cache = [];
    private readonly IEventsV1Sink _sink;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _sleepDuration;
    private readonly Task _writers;
    private readonly ITimer _refresh;
    private readonly ITimer _finish;
    private long _dropped;

    /// <param name="writers">
    /// Writers draining the queue: upstream writes each event on its own goroutine, and one write at a time would cap
    /// events at one per round trip (the scheduler reports one per pod).
    /// </param>
    public EventsV1Broadcaster(IEventsV1Sink sink, TimeProvider time, ILogger logger, TimeSpan? sleepDuration = null, int writers = 4)
    {
        _sink = sink;
        _time = time;
        _logger = logger;
        _sleepDuration = sleepDuration ?? DefaultSleepDuration;
        _writers = Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(WriteAsync)));
        _refresh = time.CreateTimer(_ => _ = RefreshSeriesAsync(), null, RefreshTime, RefreshTime);
        _finish = time.CreateTimer(_ => _ = FinishSeriesAsync(), null, FinishTime, FinishTime);
    }

    /// <summary>Events dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>A recorder reporting as <paramref name="reportingController"/>, instance "&lt;controller&gt;-&lt;hostname&gt;".</summary>
    public IEventsV1Recorder NewRecorder(string reportingController, string? hostname = null) =>
        new EventsV1Recorder(this, reportingController, $"{reportingController}-{hostname ?? Environment.MachineName}", _time, _logger);

    /// <summary>Writes what is queued (each event tried once more at most), then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        await _refresh.DisposeAsync().ConfigureAwait(false);
        await _finish.DisposeAsync().ConfigureAwait(false);
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _writers.ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <summary>refreshExistingEventSeries: writes every open series' count as it stands.</summary>
    internal async Task RefreshSeriesAsync()
    {
        List<(SeriesKey Key, Eventsv1Event Event)> open;
        lock (_lock)
        {
            open = [.. _cache.Where(e => e.Value.Series is not null).Select(e => (e.Key, Copy(e.Value)))];
        }

        foreach (var (_, ev) in open)
        {
            await TryRecordAsync(ev).ConfigureAwait(false);
        }
    }

    /// <summary>finishSeries: writes the final count of series unseen for <see cref="FinishTime"/> and forgets them and old single events.</summary>
    internal async Task FinishSeriesAsync()
    {
        var cutoff = _time.GetUtcNow().UtcDateTime - FinishTime;
        List<(SeriesKey Key, Eventsv1Event Event)> finished = [];
        lock (_lock)
        {
            foreach (var (key, ev) in _cache.ToList())
            {
                if (ev.Series is { } series)
                {
                    if (series.LastObservedTime < cutoff)
                    {
                        finished.Add((key, Copy(ev)));
                    }
                }
                else if (ev.EventTime < cutoff)
                {
                    _cache.Remove(key);
                }
            }
        }

        foreach (var (key, ev) in finished)
        {
            if (await TryRecordAsync(ev).ConfigureAwait(false) is not null)
            {
                lock (_lock)
                {
                    // Unless it recurred while being written.
                    if (_cache.TryGetValue(key, out var current) && current.Series?.LastObservedTime < cutoff)
                    {
                        _cache.Remove(key);
                    }
                }
            }
        }
    }

    /// <summary>The instants this broadcaster's events are named after.</summary>
    internal UniqueEventClock Names { get; } = new();

    internal void Enqueue(Eventsv1Event ev)
    {
        if (!_queue.Writer.TryWrite(ev))
        {
            Interlocked.Increment(ref _dropped);
            _logger.LogWarning("Unable to record event: too many queued events, dropped event {Reason} about {Kind} {Namespace}/{Name}", ev.Reason, ev.Regarding?.Kind, ev.Regarding?.NamespaceProperty, ev.Regarding?.Name);
        }
    }

    private async Task WriteAsync()
    {
        await foreach (var ev in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                if (Correlate(ev) is { } toRecord)
                {
                    await AttemptRecordingAsync(toRecord).ConfigureAwait(false);
                }
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "recording event {Reason} failed", ev.Reason);
            }
        }
    }

    // recordToSink: the event to write now (a copy), or null when only the in-memory series count moved.
    private Eventsv1Event? Correlate(Eventsv1Event ev)
    {
        var key = SeriesKey.Of(ev);
        var now = _time.GetUtcNow().UtcDateTime;
        lock (_lock)
        {
            if (_cache.TryGetValue(key, out var isomorphic))
            {
                if (isomorphic.Series is { } series)
                {
                    series.Count++;
                    series.LastObservedTime = now;
                    return null;
                }

                isomorphic.Series = new Eventsv1EventSeries { Count = 2, LastObservedTime = now };
                return Copy(isomorphic);
            }

            _cache[key] = ev;
            return Copy(ev);
        }
    }

    private async Task AttemptRecordingAsync(Eventsv1Event ev)
    {
        for (var tries = 1; ; tries++)
        {
            if (await TryRecordAsync(ev).ConfigureAwait(false) is not null || tries >= MaxTriesPerEvent || _stopping.IsCancellationRequested)
            {
                return;
            }

            try
            {
                await Task.Delay(_sleepDuration * (1 + (0.25 * Random.Shared.NextDouble())), _time, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    // recordEvent: the Event written, an empty Event when it must be abandoned, or null to retry.
    private async Task<Eventsv1Event?> TryRecordAsync(Eventsv1Event ev)
    {
        var series = ev.Series is not null;
        try
        {
            Eventsv1Event? written = null;
            if (series)
            {
                written = await _sink.PatchAsync(ev, SeriesPatch(ev.Series!), CancellationToken.None).ConfigureAwait(false);
            }

            // A series whose Event is gone (expired, deleted) is created afresh.
            if (written is null)
            {
                ev.Metadata.ResourceVersion = null;
                written = await _sink.CreateAsync(ev, CancellationToken.None).ConfigureAwait(false);
            }

            return written;
        }
        catch (HttpOperationException ex) when (series && ex.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            // The patch found nothing, and the create then found the Event written meanwhile: patching again works.
            return null;
        }
        catch (HttpOperationException ex)
        {
            _logger.LogDebug("Server rejected event {Reason} about {Namespace}/{Name} (will not retry): {Message}", ev.Reason, ev.Regarding?.NamespaceProperty, ev.Regarding?.Name, ex.Message);
            return new Eventsv1Event();
        }
        catch (Exception ex)
        {
            _logger.LogDebug("Unable to write event {Reason} (may retry after sleeping): {Message}", ev.Reason, ex.Message);
            return null;
        }
    }

    // createPatchBytesForSeries: the two-way merge patch between the event without and with its series.
    private static string SeriesPatch(Eventsv1EventSeries series) => new JsonObject
    {
        ["series"] = new JsonObject
        {
            ["count"] = series.Count,
            ["lastObservedTime"] = series.LastObservedTime.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        },
    }.ToJsonString();

    private static Eventsv1Event Copy(Eventsv1Event ev) => KubernetesJson.Deserialize<Eventsv1Event>(KubernetesJson.Serialize(ev));
}
