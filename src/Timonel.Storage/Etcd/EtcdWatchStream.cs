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
            var request = new WatchCreateRequest { Key = key, RangeEnd = rangeEnd, StartRevision = last + 1, PrevKv = true };
            var connected = await TryAsync(() => call.RequestStream.WriteAsync(new WatchRequest { CreateRequest = request }, cancellationToken), cancellationToken);
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

                foreach (var change in response.Events)
                {
                    last = change.Kv.ModRevision;
                    yield return EtcdKeys.ToWatchEvent(change);
                }
            }

            failingSince ??= DateTime.UtcNow;
            if (DateTime.UtcNow - failingSince > reconnectWindow)
            {
                throw new IOException($"lost the etcd watch on {prefix} after revision {last} and could not resume it within {reconnectWindow}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }

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
