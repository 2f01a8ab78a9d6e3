using System.Threading.Channels;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Timonel.Client.Events;

/// <summary>
/// Writes the core/v1 Events of every recorder it made, as client-go's record.EventBroadcaster with
/// StartRecordingToSink does: a bounded queue (events beyond it are dropped, never waited for), drained by one writer
/// that passes each event through the <see cref="EventCorrelator"/> (aggregation, count patches, spam filter) and
/// retries an unreachable server up to 12 times, 10 s apart (the first wait randomised). One per component.
/// </summary>
public sealed class EventBroadcaster : IAsyncDisposable
{
    /// <summary>maxQueuedEvents (tools/record/event.go).</summary>
    public const int MaxQueuedEvents = 1000;

    /// <summary>maxTriesPerEvent.</summary>
    public const int MaxTriesPerEvent = 12;

    /// <summary>defaultSleepDuration.</summary>
    public static readonly TimeSpan DefaultSleepDuration = TimeSpan.FromSeconds(10);

    private readonly Channel<Corev1Event> _queue = Channel.CreateBounded<Corev1Event>(new BoundedChannelOptions(MaxQueuedEvents) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly IEventSink _sink;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _sleepDuration;
    private readonly EventCorrelator _correlator;
    private readonly Task _writer;
    private long _dropped;

    public EventBroadcaster(IEventSink sink, TimeProvider time, ILogger logger, TimeSpan? sleepDuration = null)
    {
        _sink = sink;
        _time = time;
        _logger = logger;
        _sleepDuration = sleepDuration ?? DefaultSleepDuration;
        _correlator = new EventCorrelator(time);
        _writer = Task.Run(WriteAsync);
    }

    /// <summary>Events dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>A recorder whose events name <paramref name="component"/> (and <paramref name="host"/>) as their source and reporter.</summary>
    public IEventRecorder NewRecorder(string component, string? host = null) =>
        new EventRecorder(this, new V1EventSource { Component = component, Host = host }, _time, _logger);

    /// <summary>Writes what is queued (each event tried once more at most), then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _writer.ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <summary>The instants this broadcaster's events are named after.</summary>
    internal UniqueEventClock Names { get; } = new();

    internal void Enqueue(Corev1Event ev)
    {
        if (!_queue.Writer.TryWrite(ev))
        {
            Interlocked.Increment(ref _dropped);
            _logger.LogWarning("Unable to record event: too many queued events, dropped event {Reason} about {Kind} {Namespace}/{Name}", ev.Reason, ev.InvolvedObject.Kind, ev.InvolvedObject.NamespaceProperty, ev.InvolvedObject.Name);
        }
    }

    private async Task WriteAsync()
    {
        await foreach (var ev in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await RecordToSinkAsync(ev).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "recording event {Reason} failed", ev.Reason);
            }
        }
    }

    // recordToSink.
    private async Task RecordToSinkAsync(Corev1Event ev)
    {
        if (_correlator.Correlate(ev) is not { } correlated)
        {
            return;
        }

        var (toWrite, patch) = correlated;

        for (var tries = 1; ; tries++)
        {
            if (await TryRecordAsync(toWrite, patch).ConfigureAwait(false) || tries >= MaxTriesPerEvent || _stopping.IsCancellationRequested)
            {
                return;
            }

            var delay = tries == 1 ? _sleepDuration * Random.Shared.NextDouble() : _sleepDuration;
            try
            {
                await Task.Delay(delay, _time, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    // recordEvent: true when the event is written or must be abandoned, false to retry.
    private async Task<bool> TryRecordAsync(Corev1Event ev, string? patch)
    {
        try
        {
            Corev1Event? written = null;
            if (patch is not null)
            {
                written = await _sink.PatchAsync(ev, patch, CancellationToken.None).ConfigureAwait(false);
            }

            // A repeat whose Event is gone (expired, deleted) is created afresh.
            if (written is null)
            {
                ev.Metadata.ResourceVersion = null;
                written = await _sink.CreateAsync(ev, CancellationToken.None).ConfigureAwait(false);
            }

            _correlator.Update(written);
            return true;
        }
        catch (HttpOperationException ex)
        {
            // The server answered: the same request would be refused again (AlreadyExists, a terminating namespace).
            _logger.LogDebug("Server rejected event {Reason} about {Namespace}/{Name} (will not retry): {Message}", ev.Reason, ev.InvolvedObject.NamespaceProperty, ev.InvolvedObject.Name, ex.Message);
            return true;
        }
        catch (Exception ex)
        {
            _logger.LogDebug("Unable to write event {Reason} (may retry after sleeping): {Message}", ev.Reason, ex.Message);
            return false;
        }
    }
}
