using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Timonel.IntegrationTests.Ingress;

namespace Timonel.IntegrationTests.Node;

/// <summary>
/// The built-in Ingress controller in front of real pods: the examples' hello-app Deployments (1.0 and 2.0) behind
/// 09-ingress.yaml, a TLS Ingress with a kubectl-made Secret, and a backend scaled to zero and back.
/// </summary>
[Collection(RealNodeCollection.Name)]
public sealed class IngressTests(RealNodeFixture node)
{
    private Kubectl Kubectl => node.Kubectl;

    private IngressClient Http => new(node.Server.IngressHttpPort, () => string.Join('\n', node.Server.Output.Split('\n').TakeLast(80)));

    [SkippableFact]
    public async Task Example09_V1AndV2AnswerTheirVersions_OtherIs404_PathsCaseSensitive_AddressShown()
    {
        var ns = await StartBackendsAsync();
        (await Kubectl.RunAsync("apply", "-n", ns, "-f", Examples.File("09-ingress.yaml"))).EnsureSuccess();

        Assert.Contains("Version: 1.0.0", await Http.EventuallyAsync("/v1", null, HttpStatusCode.OK));
        Assert.Contains("Version: 2.0.0", await Http.EventuallyAsync("/v2", null, HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync("/other", null)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync("/V1", null)).Status);
        var table = await SimulatedClusterFixture.EventuallyAsync(
            async () => (await Kubectl.RunAsync("get", "ing", "hello-app", "-n", ns)).EnsureSuccess().Stdout,
            output => output.Contains(node.NodeIP, StringComparison.Ordinal));
        Assert.Matches($@"hello-app\s+timonel\s+\*\s+{System.Text.RegularExpressions.Regex.Escape(node.NodeIP)}\s+80\s", table);
        await DeleteNamespaceAsync(ns);
    }

    [SkippableFact]
    public async Task ControllersService_HasTheNodesAddress_AndPodsReachTheControllerThroughIt()
    {
        var ns = await StartBackendsAsync();
        (await Kubectl.RunAsync("apply", "-n", ns, "-f", Examples.File("09-ingress.yaml"))).EnsureSuccess();
        await Http.EventuallyAsync("/v1", null, HttpStatusCode.OK);
        await new RealNodePods(node).ApplyPodAsync(ns, "client", """
            containers:
            - name: main
              image: busybox
              imagePullPolicy: IfNotPresent
              command: ["sleep", "3600"]
            """);

        var front = await SimulatedClusterFixture.EventuallyAsync(
            async () => (await Kubectl.RunAsync("get", "svc", "timonel-ingress", "-n", "kube-system", "--no-headers")).EnsureSuccess().Stdout,
            output => output.Contains(node.NodeIP, StringComparison.Ordinal));
        var clusterIp = (await Kubectl.RunAsync("get", "svc", "timonel-ingress", "-n", "kube-system", "-o", "jsonpath={.spec.clusterIP}")).EnsureSuccess().Stdout;
        // The Service's endpoint is the server; the node's proxy forwards the cluster IP and the load-balancer address
        // to it, once it has synced the Service's latest ports and endpoints (a restarted server listens on others).
        var byClusterIp = await FromPodAsync(ns, $"http://{clusterIp}:{node.Server.IngressHttpPort}/v1");
        var byNodeAddress = await FromPodAsync(ns, $"http://{node.NodeIP}:{node.Server.IngressHttpPort}/v2");

        Assert.Matches($@"^timonel-ingress\s+LoadBalancer\s+\S+\s+{System.Text.RegularExpressions.Regex.Escape(node.NodeIP)}\s+{node.Server.IngressHttpPort}:\d+/TCP,{node.Server.IngressHttpsPort}:\d+/TCP", front);
        Assert.Contains("Version: 1.0.0", byClusterIp);
        Assert.Contains("Version: 2.0.0", byNodeAddress);
        await DeleteNamespaceAsync(ns);
    }

    [SkippableFact]
    public async Task TlsIngress_AnswersWithTheSecretsCertificate()
    {
        var ns = await StartBackendsAsync();
        var host = ns + ".secure.test";
        using var certificate = IngressTls.SelfSigned(host);
        await IngressTls.CreateSecretAsync(Kubectl, ns, "hello-tls", certificate);
        await ApplyIngressAsync(ns, host, "hello-v1", tlsSecret: "hello-tls");
        await Http.EventuallyAsync("/", host, HttpStatusCode.OK);

        var served = await SimulatedClusterFixture.EventuallyAsync(
            async () => (await IngressTls.ServedCertificateAsync(node.Server.IngressHttpsPort, host)).Thumbprint,
            thumbprint => thumbprint == certificate.Thumbprint);
        using var https = new HttpClient(IngressTls.LoopbackHandler(certificate.Thumbprint)) { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await https.GetAsync($"https://{host}:{node.Server.IngressHttpsPort}/");

        Assert.Equal(certificate.Thumbprint, served);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Version: 1.0.0", await response.Content.ReadAsStringAsync());
        await DeleteNamespaceAsync(ns);
    }

    [SkippableFact]
    public async Task BackendScaledToZero_Is503_ScaledBack_200WithinTwoSecondsOfThePodBeingReady()
    {
        var ns = await StartBackendsAsync();
        var host = ns + ".scale.test";
        await ApplyIngressAsync(ns, host, "hello-v1");
        await Http.EventuallyAsync("/", host, HttpStatusCode.OK);

        (await Kubectl.RunAsync("scale", "deployment/hello-v1", "-n", ns, "--replicas=0")).EnsureSuccess();
        await Http.EventuallyAsync("/", host, HttpStatusCode.ServiceUnavailable);
        (await Kubectl.RunAsync("scale", "deployment/hello-v1", "-n", ns, "--replicas=1")).EnsureSuccess();
        await WaitReadyPodAsync(ns, "role=hello-v1");
        var sinceReady = Stopwatch.StartNew();

        Assert.Contains("Version: 1.0.0", await Http.EventuallyAsync("/", host, HttpStatusCode.OK, within: TimeSpan.FromSeconds(2) - sinceReady.Elapsed));
        await DeleteNamespaceAsync(ns);
    }

    [SkippableFact]
    public async Task ThousandRequestsToPodsDuringIngressChanges_NoneLost()
    {
        var ns = await StartBackendsAsync();
        var host = ns + ".changes.test";
        await ApplyIngressAsync(ns, host, "hello-v1");
        await Http.EventuallyAsync("/", host, HttpStatusCode.OK);

        // Each change adds an Exact path to hello-v2, so every apply is a new configuration swapped in under load.
        var (failures, changes) = await IngressLoad.RunAsync(node.Server.IngressHttpPort, host, "/", 1000, change =>
            ApplyIngressAsync(ns, host, "hello-v1", morePaths: IngressManifest.Path($"/extra-{change}", "Exact", "hello-v2")));

        Assert.Equal(0, failures);
        Assert.True(changes > 0);
        Assert.Contains("Version: 2.0.0", await Http.EventuallyAsync($"/extra-{changes - 1}", host, HttpStatusCode.OK));
        await DeleteNamespaceAsync(ns);
    }

    /// <summary>What the "client" pod's wget gets from <paramref name="url"/>, asked until it answers (30 s at most).</summary>
    private async Task<string> FromPodAsync(string ns, string url)
    {
        var answer = "";
        for (var deadline = DateTime.UtcNow.AddSeconds(30); !answer.Contains("Version", StringComparison.Ordinal) && DateTime.UtcNow < deadline; await Task.Delay(500))
        {
            answer = (await Kubectl.RunAsync("exec", "client", "-n", ns, "--", "wget", "-q", "-O", "-", url)).Stdout;
        }

        return answer;
    }

    /// <summary>A namespace with 09-ingress-backends.yaml applied and both Deployments rolled out.</summary>
    private async Task<string> StartBackendsAsync()
    {
        Skip.If(node.SkipReason is not null, node.SkipReason);
        var ns = await node.CreateNamespaceAsync();
        (await Kubectl.RunAsync("apply", "-n", ns, "-f", Examples.File("09-ingress-backends.yaml"))).EnsureSuccess();
        foreach (var deployment in new[] { "hello-v1", "hello-v2" })
        {
            var rollout = await Kubectl.RunAsync("rollout", "status", "deployment/" + deployment, "-n", ns, "--timeout=120s");
            Assert.True(rollout.ExitCode == 0, $"{rollout}\n{string.Join('\n', node.Server.Output.Split('\n').TakeLast(100))}");
        }

        return ns;
    }

    private async Task ApplyIngressAsync(string ns, string host, string service, string? tlsSecret = null, string morePaths = "") =>
        (await Kubectl.RunWithInputAsync(IngressManifest.For(service, host, "/", service, tlsSecret, morePaths), "apply", "-n", ns, "-f", "-")).EnsureSuccess();

    /// <summary>Polls until a pod matching <paramref name="selector"/> reports Ready (a new pod may not exist yet, which kubectl wait refuses).</summary>
    private async Task WaitReadyPodAsync(string ns, string selector)
    {
        var statuses = "";
        for (var deadline = DateTime.UtcNow.AddSeconds(120); DateTime.UtcNow < deadline && !statuses.Contains("True", StringComparison.Ordinal); await Task.Delay(100))
        {
            statuses = (await Kubectl.RunAsync("get", "pods", "-n", ns, "-l", selector, "-o", "jsonpath={.items[*].status.conditions[?(@.type==\"Ready\")].status}")).Stdout;
        }

        Assert.Contains("True", statuses);
    }

    private async Task DeleteNamespaceAsync(string ns) =>
        (await Kubectl.RunAsync("delete", "namespace", ns, "--wait=false")).EnsureSuccess();
}
