using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;
using Timonel.ApiServer.Registry;
using Timonel.Storage;

namespace Timonel.ApiServer.Watch;

/// <summary>
/// Streams a watch as newline-delimited JSON events ({"type":"ADDED","object":{...}}), the wire form client-go
/// reads. Events come from the watch cache; a resourceVersion older than the cache's window or than compaction gets
/// the ERROR event with 410 Expired, as from upstream's cacher.
/// </summary>
public sealed class WatchStreamer
{
    private static readonly TimeSpan _bookmarkInterval = TimeSpan.FromSeconds(30);
    private readonly WatchCache _cache;
    private readonly IStorageBackend _storage;

    public WatchStreamer(WatchCache cache, IStorageBackend storage)
    {
        _cache = cache;
        _storage = storage;
    }

    public async Task StreamAsync(HttpContext context, WatchRequest request)
    {
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-cache, private";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(request.Timeout);
        var cancellationToken = timeout.Token;
        var writer = new EventWriter(response, request);
        try
        {
            // The headers go out whatever the lifetime: a watch that times out at once (a negative timeoutSeconds)
            // still answers 200 with an empty stream, as upstream's does.
            await response.StartAsync(context.RequestAborted);
            var prefix = request.Definition.ListPrefix(request.Namespace);
            var (after, initial) = await StartingPointAsync(request, prefix, cancellationToken);
            foreach (var kv in initial)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // The initial state is a list: only what the selectors match.
                if (!request.Definition.KeyMatches(request.KeyFilter, kv.Key))
                {
                    continue;
                }

                var obj = request.Definition.Decode(kv);
                if (request.Filter is null || request.Filter(obj))
                {
                    await writer.WriteObjectAsync("ADDED", obj);
                }
            }

            if (request.SendInitialEvents == true)
            {
                await writer.WriteBookmarkAsync(after, initialEventsEnd: true);
            }

            await writer.FlushAsync();
            using var watcher = _cache.Watch(prefix, after);
            await PumpAsync(ReadCacheAsync(watcher, cancellationToken), writer, request, after, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Client gone or timeoutSeconds reached: the stream just ends, as upstream's does.
        }
        catch (CompactedException ex)
        {
            await writer.WriteErrorAsync(StatusException.TooOldResourceVersion(ex.RequestedRevision, ex.CompactedRevision));
        }
        catch (StatusException ex)
        {
            await writer.WriteErrorAsync(ex);
        }
    }

    private async Task<(long After, IReadOnlyList<KeyValue> Initial)> StartingPointAsync(WatchRequest request, string prefix, CancellationToken cancellationToken)
    {
        var resourceVersion = request.ResourceVersion;
        var fromNow = resourceVersion is null or "" or "0";
        var sendInitial = request.SendInitialEvents ?? fromNow;
        if (!fromNow)
        {
            if (!long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var revision))
            {
                throw StatusException.BadRequest($"resourceVersion: Invalid value: \"{resourceVersion}\": strconv.ParseUint: parsing \"{resourceVersion}\": invalid syntax");
            }

            // The cache may still hold events the store has compacted away; a client asking that far back must
            // relist, as it would against upstream once the cache window passed (410 Gone).
            var compacted = await _storage.CompactedRevisionAsync(cancellationToken);
            if (revision < compacted)
            {
                throw StatusException.TooOldResourceVersion(revision, compacted);
            }

            return (revision, []);
        }

        var inScope = (KeyValue kv) => request.Definition.InListScope(kv.Key, request.Namespace);
        if (resourceVersion is null or "" && !await _cache.TryWaitUntilCurrentAsync(cancellationToken))
        {
            // The cache could not show the latest state in time: start from the store's own.
            var latest = await _storage.ListAsync(prefix, ListOptions.Latest, cancellationToken);
            return (latest.Revision, sendInitial ? latest.Items.Where(inScope).ToList() : []);
        }

        var (items, cacheRevision) = _cache.List(prefix);
        return (cacheRevision, sendInitial ? items.Where(inScope).ToList() : []);
    }

    private static async IAsyncEnumerable<CachedEvent> ReadCacheAsync(Watcher watcher, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var change in watcher.Events.ReadAllAsync(cancellationToken))
        {
            yield return change;
        }
    }

    private static async Task PumpAsync(IAsyncEnumerable<CachedEvent> events, EventWriter writer, WatchRequest request, long after, CancellationToken cancellationToken)
    {
        var lastRevision = after;
        var enumerator = events.GetAsyncEnumerator(cancellationToken);
        var next = enumerator.MoveNextAsync().AsTask();
        // One bookmark timer per watch, not one per event: a fresh 30 s delay for every event would leave
        // (watchers × events/s × 30) timers and cancellation registrations alive, all firing later for nothing.
        using var bookmarks = new PeriodicTimer(_bookmarkInterval);
        var bookmarkDue = bookmarks.WaitForNextTickAsync(cancellationToken).AsTask();
        try
        {
            while (true)
            {
                if (!next.IsCompleted && await Task.WhenAny(next, bookmarkDue) == bookmarkDue)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (request.AllowBookmarks)
                    {
                        await writer.WriteBookmarkAsync(lastRevision, initialEventsEnd: false);
                        await writer.FlushAsync();
                    }

                    bookmarkDue = bookmarks.WaitForNextTickAsync(cancellationToken).AsTask();
                    continue;
                }

                if (!await next)
                {
                    return;
                }

                var change = enumerator.Current;
                lastRevision = change.Revision;
                if (request.Definition.InListScope(change.Key, request.Namespace) && request.Definition.KeyMatches(request.KeyFilter, change.Key))
                {
                    await WriteFilteredAsync(writer, request, change);
                }

                next = enumerator.MoveNextAsync().AsTask();
                if (!next.IsCompleted)
                {
                    await writer.FlushAsync();
                }
            }
        }
        finally
        {
            // An async enumerator may not be disposed while a MoveNext is pending: let it finish (it observes the
            // same cancellation) first.
            try
            {
                await next;
            }
            catch (Exception ex) when (ex is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
            {
            }

            await enumerator.DisposeAsync();
        }
    }

    // With a selector an object can enter (ADDED) or leave (DELETED) the watched set by a modification.
    private static Task WriteFilteredAsync(EventWriter writer, WatchRequest request, CachedEvent change)
    {
        var definition = request.Definition;
        if (request.Filter is null && request.Table is null && request.PartialMetadataVersion is null)
        {
            return writer.WriteFrameAsync(definition.StoredAs is { } shared ? change.FrameConvertedBy(shared.Converter) : change.Frame);
        }

        var current = definition.Served(change.DecodeObject());
        if (request.Filter is null)
        {
            return writer.WriteObjectAsync(change.Type, current);
        }

        var matchesNow = request.Filter(current);
        var previous = change.DecodePrevious() is { } stored ? definition.Served(stored) : null;
        var matchedBefore = previous is not null && request.Filter(previous);
        var type = (change.Type, matchesNow, matchedBefore) switch
        {
            ("MODIFIED", true, false) => "ADDED",
            ("MODIFIED", false, true) => "DELETED",
            ("MODIFIED", false, false) => null,
            (_, false, _) => null,
            _ => change.Type,
        };
        return type is null ? Task.CompletedTask : writer.WriteObjectAsync(type, current);
    }

    /// <summary>
    /// Writes a watch's frames. Writes are cancelled only by the client going away, never by the watch's lifetime:
    /// Kestrel aborts the connection when a write or flush is cancelled, so a timeoutSeconds falling due in the middle
    /// of one would reset the stream (and lose its headers) where upstream ends it cleanly.
    /// </summary>
    private sealed class EventWriter
    {
        private readonly HttpResponse _response;
        private readonly WatchRequest _request;
        private readonly CancellationToken _clientGone;
        private bool _headersSent;

        public EventWriter(HttpResponse response, WatchRequest request)
        {
            _response = response;
            _request = request;
            _clientGone = response.HttpContext.RequestAborted;
        }

        public Task WriteObjectAsync(string type, JsonObject obj)
        {
            if (_request.Table is { } table)
            {
                var converted = TableConverter.Convert(_request.Definition.Strategy.Columns, [obj], table, obj["metadata"]?["resourceVersion"]?.GetValue<string>(), null, includeHeaders: !_headersSent);
                _headersSent = true;
                return WriteRawAsync(type, GoJson.Serialize(converted));
            }

            if (_request.PartialMetadataVersion is { } metaVersion)
            {
                return WriteRawAsync(type, GoJson.Serialize(TableConverter.PartialMetadata(obj, metaVersion)));
            }

            return WriteRawAsync(type, GoJson.Serialize(obj));
        }

        public Task WriteRawAsync(string type, byte[] objectJson) =>
            WriteFrameAsync(WatchFrame.Encode(type, objectJson));

        public async Task WriteFrameAsync(byte[] frame) =>
            await _response.Body.WriteAsync(frame, _clientGone);

        public Task WriteBookmarkAsync(long revision, bool initialEventsEnd)
        {
            var metadata = new JsonObject { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture) };
            if (initialEventsEnd)
            {
                // metav1.InitialEventsAnnotationKey marks the end of the initial state for watch-list clients.
                metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
            }

            var bookmark = new JsonObject { ["kind"] = _request.Definition.Kind, ["apiVersion"] = _request.Definition.ApiVersion, ["metadata"] = metadata };
            return WriteRawAsync("BOOKMARK", GoJson.Serialize(bookmark));
        }

        public async Task WriteErrorAsync(StatusException error)
        {
            try
            {
                await WriteRawAsync("ERROR", GoJson.Serialize(error.ToStatus()));
                await FlushAsync();
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
            {
                // The client is gone; nothing to tell it.
            }
        }

        public Task FlushAsync() => _response.Body.FlushAsync(_clientGone);
    }
}
