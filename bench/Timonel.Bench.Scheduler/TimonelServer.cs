using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;
using Timonel.Bench.ApiServer;
using Timonel.Client;

namespace Timonel.Bench.Scheduler;

/// <summary>A `timonel server` on a temporary data dir, and the admin connection to it from its kubeconfig.</summary>
internal sealed class TimonelServer : IAsyncDisposable
{
    private readonly ServerProcess _process;

    private TimonelServer(ServerProcess process, ClusterConnection connection)
    {
        _process = process;
        Connection = connection;
    }

    public ClusterConnection Connection { get; }

    public TimeSpan CpuTime => _process.CpuTime();

    public double ResidentMiB => _process.ResidentMiB();

    public string DataDir => _process.DataDir;

    /// <param name="withScheduler">false: started with --disable-scheduler, for a scheduler the bench runs itself.</param>
    public static async Task<TimonelServer> StartAsync(string binary, bool withScheduler)
    {
        var dataDir = Directory.CreateTempSubdirectory("timonel-bench-scheduler-").FullName;
        var process = await ServerProcess.StartAsync(binary, dataDir, datastoreEndpoint: null, withScheduler ? [] : ["--disable-scheduler"]);
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(process.KubeconfigPath);
        static string Pem(string base64) => Encoding.ASCII.GetString(Convert.FromBase64String(base64));
        var connection = new ClusterConnection(
            process.BaseAddress,
            config.SslCaCerts[0],
            X509Certificate2.CreateFromPem(Pem(config.ClientCertificateData), Pem(config.ClientCertificateKeyData)));
        return new TimonelServer(process, connection);
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        Directory.Delete(_process.DataDir, recursive: true);
    }
}
