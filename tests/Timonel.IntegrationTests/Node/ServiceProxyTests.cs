using System.Text.RegularExpressions;

namespace Timonel.IntegrationTests.Node;

/// <summary>
/// Services on a real node: the examples' hello Deployment behind a ClusterIP and a NodePort, reached from the host
/// and from a busybox pod through the agent's nftables rules, and the API reached from a pod through the kubernetes
/// Service.
/// </summary>
[Collection(RealNodeCollection.Name)]
public sealed partial class ServiceProxyTests(RealNodeFixture node)
{
    private const string Sleeper = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: client
        spec:
          terminationGracePeriodSeconds: 1
          containers:
          - name: main
            image: busybox
            imagePullPolicy: IfNotPresent
            command: ["sleep", "3600"]
        """;

    private static readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private Kubectl Kubectl => node.Kubectl;

    [SkippableFact]
    public async Task Service06_ClusterIp_HundredRequestsFromTheHostAndFromAPodReachAllThreePods()
    {
        var ns = await StartAsync("06-service-clusterip.yaml");
        var clusterIp = (await Kubectl.RunAsync("get", "service", "hello", "-n", ns, "-o", "jsonpath={.spec.clusterIP}")).EnsureSuccess().Stdout;
        var pods = await PodNamesAsync(ns);
        var url = $"http://{clusterIp}:8080/";
        await AnsweredAsync(url);

        var fromHost = new List<string>();
        for (var i = 0; i < 100; i++)
        {
            fromHost.Add(Hostname(await GetOnANewConnectionAsync(url)));
        }

        var fromPod = (await Kubectl.RunAsync("exec", "client", "-n", ns, "--", "sh", "-c", $"for i in $(seq 100); do wget -q -O - {url} | grep Hostname; done")).EnsureSuccess().Stdout;

        Assert.Equal(pods, fromHost.Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(100, HostnameRegex().Count(fromPod));
        Assert.Equal(pods, HostnameRegex().Matches(fromPod).Select(m => m.Groups[1].Value).Distinct().Order(StringComparer.Ordinal));
        await DeleteNamespaceAsync(ns);
    }

    [SkippableFact]
    public async Task Service06_DeletedPod_LeavesRotationWithinTwoSeconds()
    {
        var ns = await StartAsync("06-service-clusterip.yaml");
        var clusterIp = (await Kubectl.RunAsync("get", "service", "hello", "-n", ns, "-o", "jsonpath={.spec.clusterIP}")).EnsureSuccess().Stdout;
        var url = $"http://{clusterIp}:8080/";
        await AnsweredAsync(url);
        var victim = (await PodNamesAsync(ns))[0];

        (await Kubectl.RunAsync("delete", "pod", victim, "-n", ns, "--wait=false")).EnsureSuccess();
        await Task.Delay(TimeSpan.FromSeconds(2));
        var answers = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            answers.Add(Hostname(await GetOnANewConnectionAsync(url)));
        }

        Assert.DoesNotContain(victim, answers);
        await DeleteNamespaceAsync(ns);
    }

    [SkippableFact]
    public async Task Service07_NodePort_AnsweredOnTheNodesAddressAndOnLoopback()
    {
        var ns = await StartAsync("07-service-nodeport.yaml");
        await AnsweredAsync($"http://{node.NodeIP}:30000/");

        var onNodeIp = await _http.GetStringAsync($"http://{node.NodeIP}:30000/");
        var onLoopback = await GetOrDiagnoseAsync("http://127.0.0.1:30000/");
        var fromPod = (await Kubectl.RunAsync("exec", "client", "-n", ns, "--", "wget", "-q", "-O", "-", $"http://{node.NodeIP}:30000/")).EnsureSuccess().Stdout;

        Assert.StartsWith("Hello, world!", onNodeIp, StringComparison.Ordinal);
        Assert.StartsWith("Hello, world!", onLoopback, StringComparison.Ordinal);
        Assert.StartsWith("Hello, world!", fromPod, StringComparison.Ordinal);
        await DeleteNamespaceAsync(ns);
    }

    [SkippableFact]
    public async Task KubernetesService_APodReachesTheApiWithItsToken()
    {
        var ns = await StartAsync(example: null);

        // busybox's wget brings its own small TLS, which may not agree with the server on a cipher: from the pod, the
        // connection through the proxy must open (and the answer, when TLS agrees, is the API's); the API answering
        // through the same rules with the pod's own token is checked from the host.
        var wget = await Kubectl.RunAsync("exec", "client", "-n", ns, "--", "sh", "-c",
            "wget -q -O - --no-check-certificate --header \"Authorization: Bearer $(cat /var/run/secrets/kubernetes.io/serviceaccount/token)\" https://10.43.0.1:443/version 2>&1");
        var token = (await Kubectl.RunAsync("exec", "client", "-n", ns, "--", "cat", "/var/run/secrets/kubernetes.io/serviceaccount/token")).EnsureSuccess().Stdout.Trim();
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://10.43.0.1:443/version");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);

        Assert.DoesNotContain("can't connect", wget.Stdout, StringComparison.Ordinal);
        Assert.True(wget.ExitCode != 0 || wget.Stdout.Contains("gitVersion", StringComparison.Ordinal), wget.ToString());
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("gitVersion", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await DeleteNamespaceAsync(ns);
    }

    /// <summary>A namespace with the example applied and rolled out (if any) and a busybox client pod Ready.</summary>
    private async Task<string> StartAsync(string? example)
    {
        Skip.If(node.SkipReason is not null, node.SkipReason);
        var ns = await node.CreateNamespaceAsync();
        (await Kubectl.RunWithInputAsync(Sleeper, "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        if (example is not null)
        {
            (await Kubectl.RunAsync("apply", "-n", ns, "-f", Examples.File(example))).EnsureSuccess();
            var rollout = await Kubectl.RunAsync("rollout", "status", "deployment/hello", "-n", ns, "--timeout=120s");
            Assert.True(rollout.ExitCode == 0, $"{rollout}\n{string.Join('\n', node.Server.Output.Split('\n').TakeLast(100))}");
        }

        var ready = await Kubectl.RunAsync("wait", "pod/client", "-n", ns, "--for=condition=Ready", "--timeout=60s");
        Assert.True(ready.ExitCode == 0, ready.ToString());
        return ns;
    }

    private async Task<List<string>> PodNamesAsync(string ns) =>
        [.. (await Kubectl.RunAsync("get", "pods", "-n", ns, "-l", "role=hello", "-o", "jsonpath={.items[*].metadata.name}")).EnsureSuccess().Stdout
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];

    /// <summary>Waits until the Service answers (its rules follow the slices' readiness within a sync).</summary>
    private async Task AnsweredAsync(string url)
    {
        var last = "";
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            try
            {
                await _http.GetStringAsync(url);
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                last = ex.Message;
            }
        }

        Assert.Fail($"{url} never answered: {last}\n{await DiagnosisAsync()}");
    }

    /// <summary>A GET on a connection of its own: the endpoint is chosen per connection, and a kept-alive one would stay on one pod.</summary>
    private static async Task<string> GetOnANewConnectionAsync(string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.ConnectionClose = true;
        using var response = await _http.SendAsync(request);
        return await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync();
    }

    private async Task<string> GetOrDiagnoseAsync(string url)
    {
        try
        {
            return await _http.GetStringAsync(url);
        }
        catch (HttpRequestException ex)
        {
            var localnet = await File.ReadAllTextAsync("/proc/sys/net/ipv4/conf/all/route_localnet");
            Assert.Fail($"{url}: {ex.Message} (route_localnet {localnet.Trim()})\n{await DiagnosisAsync()}");
            throw;
        }
    }

    /// <summary>The proxy's maps as the kernel has them and what the server logged of the proxy.</summary>
    private async Task<string> DiagnosisAsync()
    {
        var maps = new System.Text.StringBuilder();
        foreach (var map in new[] { "service-ips", "service-nodeports", "no-endpoint-services", "no-endpoint-nodeports" })
        {
            using var nft = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("nft", ["list", "map", "ip", "timonel", map]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            maps.Append(await nft.StandardOutput.ReadToEndAsync()).Append(await nft.StandardError.ReadToEndAsync());
            await nft.WaitForExitAsync();
        }

        var slices = await Kubectl.RunAsync("get", "endpointslices", "-A", "-o", "wide");
        var proxyLines = node.Server.Output.Split('\n').Where(l => l.Contains("Proxy", StringComparison.OrdinalIgnoreCase) || l.Contains("nft", StringComparison.Ordinal)).TakeLast(40);
        return $"--- maps\n{maps}\n--- slices\n{slices.Stdout}\n--- server (proxy)\n{string.Join('\n', proxyLines)}";
    }

    private static string Hostname(string answer) => HostnameRegex().Match(answer) is { Success: true } match ? match.Groups[1].Value : answer;

    private async Task DeleteNamespaceAsync(string ns) =>
        (await Kubectl.RunAsync("delete", "namespace", ns, "--wait=false")).EnsureSuccess();

    [GeneratedRegex(@"Hostname: (\S+)")]
    private static partial Regex HostnameRegex();
}
