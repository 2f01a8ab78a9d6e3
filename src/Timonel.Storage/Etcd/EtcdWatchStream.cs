using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Etcdserverpb;
using Grpc.Core;

namespace Timonel.Storage.Etcd;

/// <summary>
/// One etcd watch over a prefix, with previous values, resumed after the last delivered revision when the
/// connection drops (an etcd restart), so the stream stays ordered and gap-free across reconnects.
/// </summary>
internal sealed class EtcdWatchStream(Watch.WatchClient client, TimeSpan reconnectWindow)
{
    // Every open watch call with the gate that keeps its request writes one at a time (gRPC allows one pending write).
    private readonly ConcurrentDictionary<AsyncDuplexStreamingCall<WatchRequest, WatchResponse>, SemaphoreSlim> _calls = new();

    /// <summary>
    /// Sends etcd's WatchProgressRequest on every open watch; each answers with a response without events at the
    /// store's revision, which <see cref="ReadAsync"/> yields as a progress event. Only sent to servers that order
    /// that answer after the watch's queued events (<see cref="EtcdProgressSupport"/>).
    /// </summary>
    public async Task RequestProgressAsync(CancellationToken cancellationToken)
    {
        foreach (var (call, gate) in _calls)
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                await call.RequestStream.WriteAsync(new WatchRequest { ProgressRequest = new WatchProgressRequest() }, cancellationToken);
            }
            catch (Exception ex) when (ex is RpcException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
            {
                // The call is ending (reconnect or cancel); its next incarnation starts from its last event anyway.
            }
            finally
            {
                gate.Release();
            }
        }
    }

    public async IAsyncEnumerable<WatchEvent> ReadAsync(string prefix, long afterRevision, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (key, rangeEnd) = EtcdKeys.Prefix(prefix);
        // From 0 means "everything still retained", as the memory backend: start at 1 and, when that is compacted,
        // at the compaction revision etcd reports.
        var fromRetained = afterRevision == 0;
        var last = afterRevision;
        DateTime? failingSince = null;
        while (true)
        {
            using var call = client.Watch(cancellationToken: cancellationToken);
            // Not disposed: a progress request may still be waiting on it when this call ends; it holds no handle.
            var gate = new SemaphoreSlim(0, 1);
            _calls[call] = gate;
            try
            {
                var request = new WatchCreateRequest { Key = key, RangeEnd = rangeEnd, StartRevision = last + 1, PrevKv = true };
                var connected = await TryAsync(() => call.RequestStream.WriteAsync(new WatchRequest { CreateRequest = request }, cancellationToken), cancellationToken);
                gate.Release();
                while (connected)
                {
                    var response = await TryReadAsync(call, cancellationToken);
                    if (response is null)
                    {
                        break;
                    }

                    failingSince = null;
                    if (response.CompactRevision != 0)
                    {
                        if (fromRetained && last == 0)
                        {
                            last = response.CompactRevision - 1;
                            break;
                        }

                        throw new CompactedException(last, response.CompactRevision);
                    }

                    if (response.Canceled)
                    {
                        throw new InvalidOperationException($"etcd cancelled the watch on {prefix}: {response.CancelReason}");
                    }

                    if (IsProgress(response))
                    {
                        // Not an event: `last` stays at the last real one, so a reconnect resumes after it.
                        yield return WatchEvent.Progress(response.Header.Revision);
                        continue;
                    }

                    foreach (var change in response.Events)
                    {
                        last = change.Kv.ModRevision;
                        yield return EtcdKeys.ToWatchEvent(change);
                    }
                }
            }
            finally
            {
                _calls.TryRemove(call, out _);
            }

            failingSince ??= DateTime.UtcNow;
            if (DateTime.UtcNow - failingSince > reconnectWindow)
            {
                throw new IOException($"lost the etcd watch on {prefix} after revision {last} and could not resume it within {reconnectWindow}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }

    // etcd answers a progress request with watch id -1 and no events; the answer to the create request carries
    // Created and is not one.
    private static bool IsProgress(WatchResponse response) =>
        response.Events.Count == 0 && !response.Created && !response.Canceled && response.CompactRevision == 0 && response.Header is not null;

    // Returns false when the connection failed in a way worth retrying; cancellation propagates.
    private static async Task<bool> TryAsync(Func<Task> action, CancellationToken cancellationToken)
    {
        try
        {
            await action();
            return true;
        }
        catch (RpcException exception) when (IsTransient(exception))
        {
            cancellationToken.ThrowIfCancellationRequested();
            return false;
        }
    }

    private static async Task<WatchResponse?> TryReadAsync(AsyncDuplexStreamingCall<WatchRequest, WatchResponse> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call.ResponseStream.MoveNext(cancellationToken) ? call.ResponseStream.Current : null;
        }
        catch (RpcException exception) when (IsTransient(exception))
        {
            cancellationToken.ThrowIfCancellationRequested();
            return null;
        }
    }

    // Worth a reconnect, unless the caller cancelled (the catch blocks check that: an exception thrown inside a
    // filter would be swallowed).
    private static bool IsTransient(RpcException exception) =>
        exception.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown or StatusCode.Cancelled;
}
