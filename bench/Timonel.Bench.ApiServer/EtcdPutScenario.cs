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
    public static async Task<List<CellResult>> RunAsync(string endpoint, BenchOptions options, CpuMeter cpu)
    {
        using var etcd = new EtcdClient(endpoint, configureChannelOptions: channel => channel.Credentials = ChannelCredentials.Insecure);
        var value = ByteString.CopyFrom(new byte[options.ValueSize]);
        var results = new List<CellResult>();
        foreach (var clients in options.Clients)
        {
            var cell = $"/bench-raw/{clients}/";
            results.Add(await LoadRunner.RunAsync("raw etcd Put", "create", clients, options.CellDuration, cpu, (c, n) =>
                etcd.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8($"{cell}{c}/{n}"), Value = value })));
        }

        return results;
    }

    /// <summary>Deletes everything the server keeps in etcd, so the next server starts as on an empty datastore.</summary>
    public static async Task WipeRegistryAsync(string endpoint)
    {
        using var etcd = new EtcdClient(endpoint, configureChannelOptions: channel => channel.Credentials = ChannelCredentials.Insecure);
        await etcd.DeleteRangeAsync("/registry/");
    }
}
