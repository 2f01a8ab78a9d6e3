using dotnet_etcd;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;

namespace Timonel.Bench.ApiServer;

/// <summary>
/// The reference the create targets are set against: a plain dotnet-etcd Put loop (no guard, no encoding, no HTTP)
/// on the same etcd the server uses, under its own key prefix, at the same client counts and value size.
/// </summary>
internal static class EtcdPutScenario
{
    public static async Task<List<CellResult>> RunAsync(string endpoint, BenchOptions options, CpuMeter cpu, ConnectionMode connections)
    {
        // One client (one gRPC channel, one HTTP/2 connection) per worker, or one shared by all, as the API clients.
        await WipeRegistryAsync(endpoint);
        var count = connections == ConnectionMode.Own ? options.Clients.Max() : 1;
        var clients = Enumerable.Range(0, count).Select(_ => Connect(endpoint)).ToArray();
        try
        {
            var value = ByteString.CopyFrom(new byte[options.ValueSize]);
            // Warm-up as the API cells have one: the bench's own gRPC client code is JIT-compiled too.
            await LoadRunner.RunAsync("raw etcd Put", "warm-up", options.Clients.Max(), options.WarmUp, cpu, (c, n) =>
                clients[c % count].PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8($"/bench-raw/warm-up/{connections}/{c}/{n}"), Value = value }));
            var results = new List<CellResult>();
            foreach (var workers in options.Clients)
            {
                var cell = $"/bench-raw/{connections}/{workers}/";
                var result = await LoadRunner.RunAsync("raw etcd Put", "create", workers, options.CellDuration, cpu, (c, n) =>
                    clients[c % count].PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8($"{cell}{c}/{n}"), Value = value }));
                results.Add(result with { Connections = connections });
            }

            return results;
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

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
        await etcd.CompactAsync(new CompactionRequest { Revision = deleted.Header.Revision, Physical = true });
        await etcd.DefragmentAsync(new DefragmentRequest());
    }
}
