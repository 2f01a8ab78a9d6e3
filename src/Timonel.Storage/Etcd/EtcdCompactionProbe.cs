using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;

namespace Timonel.Storage.Etcd;

/// <summary>
/// Finds etcd's compaction revision, which etcd 3.4 reports nowhere except in errors. A read at a revision fails
/// exactly when that revision is below the compaction revision, so a binary search between the last known
/// value and the current revision finds it in about log2(revisions) cheap count-only reads.
/// </summary>
internal sealed class EtcdCompactionProbe(KV.KVClient client)
{
    private static readonly ByteString _probeKey = ByteString.CopyFrom(0);
    private long _known;

    /// <summary>The oldest readable revision, or 0 when nothing was ever compacted.</summary>
    public async Task<long> FindAsync(long currentRevision, CancellationToken cancellationToken)
    {
        var low = Math.Max(Interlocked.Read(ref _known), 1);
        if (await IsReadableAsync(low, cancellationToken))
        {
            return low == 1 ? 0 : low;
        }

        // low is unreadable, currentRevision always readable: keep that invariant while halving the gap.
        var high = Math.Max(currentRevision, low + 1);
        while (high - low > 1)
        {
            var middle = low + ((high - low) / 2);
            if (await IsReadableAsync(middle, cancellationToken))
            {
                high = middle;
            }
            else
            {
                low = middle;
            }
        }

        Remember(high);
        return high;
    }

    /// <summary>Records a compaction revision learned elsewhere (an error, or our own compact call).</summary>
    public void Remember(long compacted)
    {
        long known;
        do
        {
            known = Interlocked.Read(ref _known);
        }
        while (compacted > known && Interlocked.CompareExchange(ref _known, compacted, known) != known);
    }

    private async Task<bool> IsReadableAsync(long revision, CancellationToken cancellationToken)
    {
        try
        {
            await client.RangeAsync(new RangeRequest { Key = _probeKey, Revision = revision, CountOnly = true }, cancellationToken: cancellationToken);
            return true;
        }
        catch (RpcException exception) when (EtcdKeys.IsCompacted(exception))
        {
            return false;
        }
    }
}
