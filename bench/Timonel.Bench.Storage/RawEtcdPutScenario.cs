using dotnet_etcd;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;

namespace Timonel.Bench.Storage;

/// <summary>The ceiling: plain, unguarded dotnet-etcd Put calls, what etcd itself can take at each client count.</summary>
internal static class RawEtcdPutScenario
{
    public static async Task<List<PhaseResult>> RunAsync(string endpoint, BenchOptions options)
    {
        using var client = new EtcdClient(endpoint, configureChannelOptions: channel => channel.Credentials = ChannelCredentials.Insecure);
        var value = ByteString.CopyFrom(new byte[options.ValueSize]);
        var results = new List<PhaseResult>();
        foreach (var clients in options.Clients)
        {
            var run = Guid.NewGuid().ToString("N")[..8];
            results.Add(await LoadRunner.RunAsync("etcd (raw Put)", "put", clients, options.PhaseDuration, (c, i) =>
                client.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8($"/raw/{run}/{c}/{i}"), Value = value })));
        }

        return results;
    }
}
