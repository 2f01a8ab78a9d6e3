using System.Runtime.CompilerServices;
using dotnet_etcd;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace Timonel.Storage.Etcd;

/// <summary>
/// The storage seam over a real etcd v3 (3.4 or newer), as kube-apiserver uses it: guarded writes are
/// transactions that compare a key's create or mod revision, lists are range reads (optionally at a revision),
/// and watches are etcd watches with previous values. Revisions are etcd's own.
/// </summary>
public sealed class EtcdStorageBackend : IStorageBackend
{
    private readonly GrpcChannel _channel;
    private readonly KV.KVClient _kv;
    private readonly EtcdWatchStream _watches;
    private readonly EtcdCompactionProbe _compaction;
    private readonly EtcdProgressSupport _progressSupport;
    private readonly CancellationTokenSource _disposing = new();

    /// <param name="endpoints">
    /// One or more client URLs separated by commas, e.g. <c>http://127.0.0.1:2379</c> (K3s' --datastore-endpoint form).
    /// </param>
    /// <param name="tls">CA, client certificate and key for <c>https://</c> endpoints; null: system trust, no client certificate.</param>
    public EtcdStorageBackend(string endpoints, EtcdTlsFiles? tls = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(endpoints);
        var secure = endpoints.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        if (!secure && tls is { IsEmpty: false })
        {
            throw new ArgumentException($"the datastore TLS files need an https:// endpoint, not {endpoints}");
        }

        var clientTls = tls is { IsEmpty: false } ? EtcdClientTls.Load(tls) : null;
        _channel = CreateChannel(endpoints, secure ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure, clientTls);
        _kv = new KV.KVClient(_channel);
        _watches = new EtcdWatchStream(new Watch.WatchClient(_channel), TimeSpan.FromSeconds(30));
        _compaction = new EtcdCompactionProbe(_kv);
        _progressSupport = new EtcdProgressSupport(new Maintenance.MaintenanceClient(_channel));
        Endpoints = endpoints;
    }

    public string Endpoints { get; }

    /// <summary>
    /// One endpoint: a plain channel. dotnet-etcd's factory adds client-side load balancing and a retry policy, which
    /// only matter across several endpoints and cost every call (buffered retry calls and the balancer showed in
    /// create profiles). Several endpoints: the factory, to spread calls and fail over.
    /// </summary>
    private static GrpcChannel CreateChannel(string endpoints, ChannelCredentials credentials, EtcdClientTls? tls)
    {
        // gRPC's 4 MiB receive limit would refuse a list of a few large objects; etcd bounds requests itself.
        if (endpoints.Contains(',', StringComparison.Ordinal))
        {
            return new GrpcChannelFactory().CreateChannel(endpoints, 2379, null!, credentials, options => options.MaxReceiveMessageSize = null, tls is null ? null! : tls.Apply);
        }

        var address = new UriBuilder(endpoints.Contains("://", StringComparison.Ordinal) ? endpoints.Trim() : "http://" + endpoints.Trim());
        if (address.Uri.IsDefaultPort)
        {
            address.Port = 2379;
        }

        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
        };
        tls?.Apply(handler.SslOptions);
        return GrpcChannel.ForAddress(address.Uri, new GrpcChannelOptions
        {
            Credentials = credentials,
            MaxReceiveMessageSize = null,
            HttpHandler = handler,
        });
    }

    public async Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        EtcdKeys.FirstOrNull(await _kv.RangeAsync(new RangeRequest { Key = EtcdKeys.Key(key) }, cancellationToken: cancellationToken));

    public async Task<ListResult> ListAsync(string prefix, ListOptions options, CancellationToken cancellationToken = default)
    {
        var (start, end) = EtcdKeys.Prefix(prefix);
        if (options.StartKey is not null && string.CompareOrdinal(options.StartKey, prefix) > 0)
        {
            start = EtcdKeys.Key(options.StartKey);
        }

        // One key past the page tells whether there is a next page, and which key starts it.
        var request = new RangeRequest { Key = start, RangeEnd = end, Revision = options.Revision, Limit = options.Limit > 0 ? options.Limit + 1 : 0 };
        RangeResponse response;
        try
        {
            response = await _kv.RangeAsync(request, cancellationToken: cancellationToken);
        }
        catch (RpcException exception) when (EtcdKeys.IsCompacted(exception))
        {
            var compacted = await _compaction.FindAsync(await CurrentRevisionAsync(cancellationToken), cancellationToken);
            throw new CompactedException(options.Revision, compacted);
        }
        catch (RpcException exception) when (EtcdKeys.IsFutureRevision(exception))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Revision, exception.Status.Detail);
        }

        var items = response.Kvs.Select(EtcdKeys.ToKeyValue).ToList();
        string? nextKey = null;
        long remaining = 0;
        if (options.Limit > 0 && items.Count > options.Limit)
        {
            nextKey = items[^1].Key;
            items.RemoveAt(items.Count - 1);
            remaining = response.Count - items.Count;
        }

        // The header carries the store's revision now; a read at an older revision was read as of that one.
        return new ListResult(items, options.Revision > 0 ? options.Revision : response.Header.Revision, nextKey, remaining);
    }

    public async Task<long> CountAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var (start, end) = EtcdKeys.Prefix(prefix);
        var response = await _kv.RangeAsync(new RangeRequest { Key = start, RangeEnd = end, CountOnly = true }, cancellationToken: cancellationToken);
        return response.Count;
    }

    public async Task<WriteResult> CreateAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        var name = EtcdKeys.Key(key);
        var bytes = value.ToArray();
        var transaction = new TxnRequest
        {
            Compare = { EtcdKeys.CreateRevisionIs(name, Compare.Types.CompareResult.Equal) },
            Success = { new RequestOp { RequestPut = new PutRequest { Key = name, Value = UnsafeByteOperations.UnsafeWrap(bytes) } } },
            Failure = { EtcdKeys.Get(name) },
        };
        var response = await _kv.TxnAsync(transaction, cancellationToken: cancellationToken);
        var revision = response.Header.Revision;
        return response.Succeeded
            ? new WriteResult(true, revision, new KeyValue(key, bytes, revision, revision))
            : new WriteResult(false, revision, EtcdKeys.FirstOrNull(response.Responses[0].ResponseRange));
    }

    public async Task<WriteResult> UpdateAsync(string key, ReadOnlyMemory<byte> value, long expectedRevision, CancellationToken cancellationToken = default)
    {
        var name = EtcdKeys.Key(key);
        var bytes = value.ToArray();
        var transaction = new TxnRequest
        {
            // The create-revision guard keeps "expected 0" from matching an absent key (whose mod revision is 0).
            Compare = { EtcdKeys.CreateRevisionIs(name, Compare.Types.CompareResult.Greater), EtcdKeys.ModRevisionEquals(name, expectedRevision) },
            Success = { new RequestOp { RequestPut = new PutRequest { Key = name, Value = UnsafeByteOperations.UnsafeWrap(bytes), PrevKv = true } } },
            Failure = { EtcdKeys.Get(name) },
        };
        var response = await _kv.TxnAsync(transaction, cancellationToken: cancellationToken);
        var revision = response.Header.Revision;
        return response.Succeeded
            ? new WriteResult(true, revision, new KeyValue(key, bytes, response.Responses[0].ResponsePut.PrevKv.CreateRevision, revision))
            : new WriteResult(false, revision, EtcdKeys.FirstOrNull(response.Responses[0].ResponseRange));
    }

    public async Task<WriteResult> DeleteAsync(string key, long expectedRevision, CancellationToken cancellationToken = default)
    {
        var name = EtcdKeys.Key(key);
        var transaction = new TxnRequest
        {
            Compare = { EtcdKeys.CreateRevisionIs(name, Compare.Types.CompareResult.Greater) },
            Success = { new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = name, PrevKv = true } } },
            Failure = { EtcdKeys.Get(name) },
        };
        if (expectedRevision != 0)
        {
            transaction.Compare.Add(EtcdKeys.ModRevisionEquals(name, expectedRevision));
        }

        var response = await _kv.TxnAsync(transaction, cancellationToken: cancellationToken);
        var revision = response.Header.Revision;
        return response.Succeeded
            ? new WriteResult(true, revision, EtcdKeys.ToKeyValue(response.Responses[0].ResponseDeleteRange.PrevKvs[0]))
            : new WriteResult(false, revision, EtcdKeys.FirstOrNull(response.Responses[0].ResponseRange));
    }

    public async IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long afterRevision, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Disposing the backend ends its watches quietly, as the other backends do.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        await using var events = _watches.ReadAsync(prefix, afterRevision, linked.Token).GetAsyncEnumerator(linked.Token);
        while (await MoveNextAsync(events, cancellationToken))
        {
            yield return events.Current;
        }
    }

    public async Task<bool> RequestWatchProgressAsync(CancellationToken cancellationToken = default)
    {
        if (!await _progressSupport.IsReliableAsync(cancellationToken))
        {
            return false;
        }

        await _watches.RequestProgressAsync(cancellationToken);
        return true;
    }

    public async Task<long> CurrentRevisionAsync(CancellationToken cancellationToken = default)
    {
        var response = await _kv.RangeAsync(new RangeRequest { Key = ByteString.CopyFrom(0), CountOnly = true }, cancellationToken: cancellationToken);
        return response.Header.Revision;
    }

    public async Task CompactAsync(long revision, CancellationToken cancellationToken = default)
    {
        var target = Math.Min(revision, await CurrentRevisionAsync(cancellationToken));
        if (target <= 0)
        {
            return;
        }

        try
        {
            // Not physical: etcd refuses reads below the target as soon as this returns and frees space in the background.
            await _kv.CompactAsync(new CompactionRequest { Revision = target }, cancellationToken: cancellationToken);
        }
        catch (RpcException exception) when (EtcdKeys.IsCompacted(exception))
        {
            // Already compacted at or past the target.
            return;
        }

        _compaction.Remember(target);
    }

    public async Task<long> CompactedRevisionAsync(CancellationToken cancellationToken = default) =>
        await _compaction.FindAsync(await CurrentRevisionAsync(cancellationToken), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_disposing.IsCancellationRequested)
        {
            return;
        }

        await _disposing.CancelAsync();
        _channel.Dispose();
        _disposing.Dispose();
    }

    // Ends the enumeration when the backend is disposed; the caller's own cancellation still throws.
    private async Task<bool> MoveNextAsync(IAsyncEnumerator<WatchEvent> events, CancellationToken cancellationToken)
    {
        try
        {
            return await events.MoveNextAsync();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && _disposing.IsCancellationRequested)
        {
            return false;
        }
    }
}
