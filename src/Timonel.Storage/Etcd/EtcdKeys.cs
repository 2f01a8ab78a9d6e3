using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;

namespace Timonel.Storage.Etcd;

/// <summary>Conversions between the storage types and etcd's wire types, and etcd's error texts.</summary>
internal static class EtcdKeys
{
    // Error texts from etcd's mvcc package (server/mvcc/kvstore.go: ErrCompacted, ErrFutureRev), which the
    // server returns as gRPC OutOfRange with an "etcdserver: " prefix.
    private const string CompactedText = "required revision has been compacted";
    private const string FutureText = "required revision is a future revision";

    // etcd treats key "\0" with range_end "\0" as "every key".
    private static readonly ByteString _everything = ByteString.CopyFrom(0);

    public static ByteString Key(string key) => ByteString.CopyFromUtf8(key);

    /// <summary>[key, range_end) covering every key that starts with <paramref name="prefix"/>.</summary>
    public static (ByteString Key, ByteString RangeEnd) Prefix(string prefix)
    {
        if (prefix.Length == 0)
        {
            return (_everything, _everything);
        }

        var start = Key(prefix);
        var end = KeyPrefix.End(start.Span);
        return (start, end is null ? _everything : UnsafeByteOperations.UnsafeWrap(end));
    }

    public static KeyValue ToKeyValue(Mvccpb.KeyValue kv) =>
        new(kv.Key.ToStringUtf8(), kv.Value.ToByteArray(), kv.CreateRevision, kv.ModRevision);

    public static KeyValue? FirstOrNull(RangeResponse? response) =>
        response is { Kvs.Count: > 0 } ? ToKeyValue(response.Kvs[0]) : null;

    public static WatchEvent ToWatchEvent(Mvccpb.Event change)
    {
        var previous = change.PrevKv is null ? null : ToKeyValue(change.PrevKv);
        if (change.Type == Mvccpb.Event.Types.EventType.Delete)
        {
            // etcd's delete event carries only the key and the delete's revision.
            var key = change.Kv.Key.ToStringUtf8();
            return new WatchEvent(WatchEventType.Delete, new KeyValue(key, [], previous?.CreateRevision ?? 0, change.Kv.ModRevision), previous);
        }

        return new WatchEvent(WatchEventType.Put, ToKeyValue(change.Kv), previous);
    }

    public static bool IsCompacted(RpcException exception) => exception.Status.Detail.Contains(CompactedText, StringComparison.Ordinal);

    public static bool IsFutureRevision(RpcException exception) => exception.Status.Detail.Contains(FutureText, StringComparison.Ordinal);

    public static Compare CreateRevisionIs(ByteString key, Compare.Types.CompareResult result) =>
        new() { Key = key, Target = Compare.Types.CompareTarget.Create, Result = result, CreateRevision = 0 };

    public static Compare ModRevisionEquals(ByteString key, long revision) =>
        new() { Key = key, Target = Compare.Types.CompareTarget.Mod, Result = Compare.Types.CompareResult.Equal, ModRevision = revision };

    public static RequestOp Get(ByteString key) => new() { RequestRange = new RangeRequest { Key = key } };
}
