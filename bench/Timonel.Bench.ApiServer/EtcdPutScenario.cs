using dotnet_etcd;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;

namespace Timonel.Bench.ApiServer;

/// <summary>
/// The reference the create targets are set against: a plain dotnet-etcd Put loop (no guard, no encoding, no HTTP)
/// on the same etcd the server uses, under its own key prefix, at the same client counts and value size. Each
/// reference cell runs right before the API create cell it is compared with, so both see the same machine.
/// </summary>
internal sealed class EtcdPutScenario : IDisposable
{
    private readonly EtcdClient[] _clients;
    private readonly BenchOptions _options;
    private readonly CpuMeter _cpu;
    private readonly ConnectionMode _connections;
    private readonly string _label;
    private readonly ByteString _value;
    private int _cells;

    /// <param name="beside">The backend whose create cells this reference runs beside; it names the rows.</param>
    public EtcdPutScenario(string endpoint, BenchOptions options, CpuMeter cpu, ConnectionMode connections, string beside)
    {
        // One client (one gRPC channel, one HTTP/2 connection) per worker, or one shared by all, as the API clients.
        _clients = [.. Enumerable.Range(0, connections == ConnectionMode.Own ? options.Clients.Max() : 1).Select(_ => Connect(endpoint))];
        _options = options;
        _cpu = cpu;
        _connections = connections;
        _label = $"{RawLabel}, beside {beside}";
        _value = ByteString.CopyFrom(new byte[options.ValueSize]);
    }

    /// <summary>How the reference rows are named; the report pairs "…, beside SQLite" with the SQLite cells.</summary>
    public const string RawLabel = "raw etcd Put";

    /// <summary>Warm-up as the API cells have one: the bench's own gRPC client code is JIT-compiled too.</summary>
    public async Task WarmUpAsync()
    {
        await LoadRunner.RunAsync(_label, "warm-up", _options.Clients.Max(), _options.WarmUp, _cpu, (c, n) => PutAsync(c, $"/bench-raw/warm-up/{_label}/{_connections}/{c}/{n}"));
        await RemovePutsAsync();
    }

    public async Task<CellResult> RunAsync(int workers)
    {
        var cell = $"/bench-raw/{_label}/{_connections}/{_cells++}/{workers}/";
        var result = await LoadRunner.RunAsync(_label, "create", workers, _options.CellDuration, _cpu, (c, n) => PutAsync(c, $"{cell}{c}/{n}"));
        await RemovePutsAsync();
        return result with { Connections = _connections };
    }

    // The tens of thousands of keys a cell put would otherwise sit in etcd (and its history) under the API server's
    // later cells on the etcd backend, slowing its reads: delete them, compact them away and defragment.
    private async Task RemovePutsAsync()
    {
        var deleted = await _clients[0].DeleteRangeAsync("/bench-raw/");
        await CompactAndDefragmentAsync(_clients[0], deleted.Header.Revision);
    }

    private static async Task CompactAndDefragmentAsync(EtcdClient etcd, long revision)
    {
        try
        {
            await etcd.CompactAsync(new CompactionRequest { Revision = revision, Physical = true });
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.OutOfRange)
        {
            // Nothing written since the last compaction (e.g. only raw cells ran beside a SQLite server).
        }

        await etcd.DefragmentAsync(new DefragmentRequest());
    }

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }

    private Task PutAsync(int worker, string key) =>
        _clients[worker % _clients.Length].PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8(key), Value = _value });

    private static EtcdClient Connect(string endpoint) =>
        new(endpoint, configureChannelOptions: channel => channel.Credentials = ChannelCredentials.Insecure);

    /// <summary>
    /// Deletes everything the server keeps in etcd, then compacts the history away and defragments, so the next server
    /// starts as on an empty datastore and no earlier run's history (hundreds of thousands of revisions, compacted in
    /// the background by etcd at its own pace) burns etcd's CPU during the next cell.
    /// </summary>
    public static async Task WipeRegistryAsync(string endpoint)
    {
        using var etcd = Connect(endpoint);
        await etcd.DeleteRangeAsync("/bench-raw/");
        var deleted = await etcd.DeleteRangeAsync("/registry/");
        await CompactAndDefragmentAsync(etcd, deleted.Header.Revision);
    }
}
