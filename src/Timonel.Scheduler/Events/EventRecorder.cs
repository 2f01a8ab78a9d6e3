using System.Globalization;
using System.Threading.Channels;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Timonel.Scheduler.Events;

/// <summary>
/// Writes events.k8s.io/v1 Events as upstream's event broadcaster does (client-go tools/events): named
/// "{pod}.{unix nanoseconds in hex}", reportingController the scheduler's name, reportingInstance
/// "{controller}-{hostname}", the note cut to 1,024 characters. A few writers drain a queue, so a slow API server
/// delays events, never scheduling; events beyond the queue's bound are dropped, as the broadcaster drops them.
/// </summary>
public sealed class EventRecorder : IEventRecorder, IAsyncDisposable
{
    /// <summary>upstream events noteLengthLimit.</summary>
    public const int NoteLengthLimit = 1024;

    private const int QueueLength = 1000;

    // One POST at a time would cap events at one per round trip, below the scheduling rate (a Scheduled event per pod).
    private const int Writers = 4;
    private readonly Channel<Eventsv1Event> _queue = Channel.CreateBounded<Eventsv1Event>(new BoundedChannelOptions(QueueLength) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ISchedulerApi _api;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _reportingController;
    private readonly string _reportingInstance;
    private readonly Task _writer;

    public EventRecorder(ISchedulerApi api, TimeProvider time, ILogger logger, string reportingController, string? hostname = null)
    {
        _api = api;
        _time = time;
        _logger = logger;
        _reportingController = reportingController;
        _reportingInstance = $"{reportingController}-{hostname ?? Environment.MachineName}";
        _writer = Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(WriteAsync)));
    }

    public void Eventf(V1Pod regarding, string type, string reason, string action, string note)
    {
        var now = _time.GetUtcNow();
        var unixNanos = (now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        _queue.Writer.TryWrite(new Eventsv1Event
        {
            ApiVersion = "events.k8s.io/v1",
            Kind = "Event",
            Metadata = new V1ObjectMeta
            {
                Name = $"{regarding.Metadata.Name}.{unixNanos.ToString("x", CultureInfo.InvariantCulture)}",
                NamespaceProperty = regarding.Metadata.NamespaceProperty,
            },
            EventTime = now.UtcDateTime,
            ReportingController = _reportingController,
            ReportingInstance = _reportingInstance,
            Action = action,
            Reason = reason,
            Type = type,
            Note = Truncate(note),
            Regarding = new V1ObjectReference
            {
                ApiVersion = "v1",
                Kind = "Pod",
                NamespaceProperty = regarding.Metadata.NamespaceProperty,
                Name = regarding.Metadata.Name,
                Uid = regarding.Metadata.Uid,
                ResourceVersion = regarding.Metadata.ResourceVersion,
            },
        });
    }

    /// <summary>Writes what is queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    /// <summary>Cuts a note longer than the limit and ends it with " ..." (upstream's truncateMessage).</summary>
    public static string Truncate(string note) =>
        note.Length <= NoteLengthLimit ? note : string.Concat(note.AsSpan(0, NoteLengthLimit - 4), " ...");

    private async Task WriteAsync()
    {
        await foreach (var ev in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await _api.CreateEventAsync(ev, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _logger.LogDebug(ex, "could not write event {Reason} about {Namespace}/{Name}", ev.Reason, ev.Regarding.NamespaceProperty, ev.Regarding.Name);
            }
        }
    }
}
