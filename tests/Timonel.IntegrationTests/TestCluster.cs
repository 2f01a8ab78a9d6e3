using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Timonel.ApiServer.Hosting;
using Timonel.Client;
using Timonel.Controllers;
using Timonel.Storage;

namespace Timonel.IntegrationTests;

/// <summary>An in-process API server on a free port with its own data dir and datastore, for one test class.</summary>
public sealed class TestCluster : IAsyncDisposable
{
    private readonly ControllerManager _controllers;

    private TestCluster(ApiServerHost host, ControllerManager controllers, IStorageBackend storage, string dataDir)
    {
        _controllers = controllers;
        Host = host;
        Storage = storage;
        DataDir = dataDir;
        Kubectl = new Kubectl(host.KubeconfigPath);
    }

    public ApiServerHost Host { get; }

    public IStorageBackend Storage { get; }

    public string DataDir { get; }

    public Kubectl Kubectl { get; }

    /// <summary>
    /// Starts a cluster; <paramref name="configure"/> may change the server's options (and write files they name into
    /// the data dir), <paramref name="configureControllers"/> the controller manager's.
    /// </summary>
    public static async Task<TestCluster> StartAsync(
        Func<string, Task<IStorageBackend>> createStorage,
        Func<ApiServerOptions, ApiServerOptions>? configure = null,
        Func<ControllerManagerOptions, ControllerManagerOptions>? configureControllers = null)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "timonel-it-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dataDir);
        var storage = await createStorage(dataDir);
        var options = new ApiServerOptions { DataDir = dataDir, HttpsListenPort = 0, BindAddress = IPAddress.Loopback };
        options = configure?.Invoke(options) ?? options;
        var host = await ApiServerHost.StartAsync(options, storage, NullLoggerFactory.Instance, CancellationToken.None);
        var controllerOptions = new ControllerManagerOptions { SigningCertificateAuthority = host.Pki.CertificateAuthority, LegacyTokenIssuer = host.ServiceAccountTokens.IssueLegacy };
        controllerOptions = configureControllers?.Invoke(controllerOptions) ?? controllerOptions;
        var controllers = new ControllerManager(new ClusterConnection(host.Url, host.Pki.CertificateAuthority, host.Pki.Admin), NullLoggerFactory.Instance, controllerOptions);
        await controllers.StartAsync(CancellationToken.None);
        return new TestCluster(host, controllers, storage, dataDir);
    }

    /// <summary>A fresh namespace for one test, so tests sharing a cluster do not see each other's objects.</summary>
    public async Task<string> CreateNamespaceAsync(string prefix = "t")
    {
        var name = $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";
        (await Kubectl.RunWithInputAsync($"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {name}\n", "create", "-f", "-")).EnsureSuccess();
        await WaitForNamespaceDefaultsAsync(name);
        return name;
    }

    /// <summary>
    /// Waits for what the controllers put in every new namespace (the "default" ServiceAccount, the kube-root-ca.crt
    /// ConfigMap), so a test starts from the settled state a user of a real cluster sees.
    /// </summary>
    public async Task WaitForNamespaceDefaultsAsync(string ns)
    {
        // One object per kubectl wait: given several, kubectl 1.32's --for=create answers NotFound at once for any that
        // is missing instead of polling for it.
        foreach (var made in new[] { "serviceaccount/default", "configmap/kube-root-ca.crt" })
        {
            (await Kubectl.RunAsync("wait", "--for=create", made, "-n", ns, "--timeout=30s")).EnsureSuccess();
        }
    }

    /// <summary>A raw HTTPS client authenticated with the cluster's admin client certificate (system:masters).</summary>
    public HttpClient CreateAdminHttpClient() => ApiHttp.Create(Host.Url, Host.Pki.CertificateAuthority, clientCertificate: Host.Pki.Admin);

    /// <summary>
    /// The service account default/builder (created on first use) and a kubectl with a kubeconfig of its own that
    /// presents a token of it (no client certificate): a user the default policy gives no rights.
    /// </summary>
    public async Task<(Kubectl Kubectl, string Uid)> ServiceAccountKubectlAsync()
    {
        var uid = await EnsureServiceAccountAsync("default", "builder");
        var token = Host.ServiceAccountTokens.Issue("default", "builder", uid, TimeSpan.FromMinutes(10));
        return (TokenKubectl(token), uid);
    }

    /// <summary>A kubectl with a kubeconfig of its own that presents <paramref name="token"/> (no client certificate).</summary>
    public Kubectl TokenKubectl(string token)
    {
        var directory = Path.Combine(DataDir, "sa-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        var ca = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(Host.Pki.CertificateAuthority.ExportCertificatePem()));
        var path = Path.Combine(directory, "kubeconfig.yaml");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: timonel
              cluster:
                server: {Host.Url.ToString().TrimEnd('/')}
                certificate-authority-data: {ca}
            users:
            - name: builder
              user:
                token: {token}
            contexts:
            - name: builder
              context:
                cluster: timonel
                user: builder
                namespace: default
            current-context: builder
            """);
        return new Kubectl(path);
    }

    /// <summary>The UID of the ServiceAccount <paramref name="ns"/>/<paramref name="name"/>, created if absent.</summary>
    public async Task<string> EnsureServiceAccountAsync(string ns, string name)
    {
        var created = await Kubectl.RunAsync("create", "serviceaccount", name, "-n", ns);
        if (created.ExitCode != 0 && !created.Stderr.Contains("already exists", StringComparison.Ordinal))
        {
            created.EnsureSuccess();
        }

        return (await Kubectl.RunAsync("get", "serviceaccount", name, "-n", ns, "-o", "jsonpath={.metadata.uid}")).EnsureSuccess().Stdout;
    }

    /// <summary>A ConfigMap manifest with one data key, for tests that need many small objects.</summary>
    public static string ConfigMapYaml(string name, string key = "a", string value = "b") =>
        $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  {key}: \"{value}\"\n";

    public async ValueTask DisposeAsync()
    {
        await _controllers.DisposeAsync();
        await Host.DisposeAsync();
        await Storage.DisposeAsync();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a lingering process; the temp dir is cleaned by the OS later.
        }
    }
}
