using System.Text.RegularExpressions;

namespace Timonel.IntegrationTests.Node;

/// <summary>
/// A LoadBalancer Service on a real node: examples/08-service-loadbalancer.yaml unchanged gets the node's address
/// as EXTERNAL-IP from the local cloud provider, and that address at port 8080 answers from the Deployment's pods
/// through the agent's proxy rules.
/// </summary>
[Collection(RealNodeCollection.Name)]
public sealed partial class LoadBalancerTests(RealNodeFixture node)
{
    private static readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private Kubectl Kubectl => node.Kubectl;

    [SkippableFact]
    public async Task Service08_LoadBalancer_ExternalIpIsTheNodeAndAnswersFromThePods()
    {
        Skip.If(node.SkipReason is not null, node.SkipReason);
        var ns = await node.CreateNamespaceAsync();
        (await Kubectl.RunAsync("apply", "-n", ns, "-f", Examples.File("08-service-loadbalancer.yaml"))).EnsureSuccess();
        var rollout = await Kubectl.RunAsync("rollout", "status", "deployment/hello", "-n", ns, "--timeout=120s");
        Assert.True(rollout.ExitCode == 0, $"{rollout}\n{string.Join('\n', node.Server.Output.Split('\n').TakeLast(60))}");

        var externalIp = await ExternalIpAsync(ns);
        var url = $"http://{externalIp}:8080/";
        var answers = new List<string>();
        for (var deadline = DateTime.UtcNow.AddSeconds(30); answers.Count < 30 && DateTime.UtcNow < deadline;)
        {
            try
            {
                answers.Add(await GetOnANewConnectionAsync(url));
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                await Task.Delay(200);
            }
        }

        var pods = (await Kubectl.RunAsync("get", "pods", "-n", ns, "-l", "role=hello", "-o", "jsonpath={.items[*].metadata.name}")).EnsureSuccess().Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var events = (await Kubectl.RunAsync("get", "events", "-n", ns, "--field-selector", "involvedObject.kind=Service", "-o", "jsonpath={.items[*].reason}")).EnsureSuccess().Stdout;

        Assert.Equal(node.NodeIP, externalIp);
        Assert.Equal(30, answers.Count);
        Assert.All(answers, answer => Assert.StartsWith("Hello, world!", answer, StringComparison.Ordinal));
        Assert.Subset(pods.ToHashSet(), answers.Select(a => HostnameRegex().Match(a).Groups[1].Value).ToHashSet());
        Assert.Contains("EnsuredLoadBalancer", events, StringComparison.Ordinal);

        // Deleting the Service deletes its balancer first (the finalizer), and the address stops answering.
        (await Kubectl.RunAsync("delete", "service", "hello", "-n", ns, "--timeout=60s")).EnsureSuccess();
        (await Kubectl.RunAsync("delete", "namespace", ns, "--wait=false")).EnsureSuccess();
    }

    /// <summary>EXTERNAL-IP as kubectl shows it, once it is no longer &lt;pending&gt;.</summary>
    private async Task<string> ExternalIpAsync(string ns)
    {
        var line = "";
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline; await Task.Delay(250))
        {
            line = (await Kubectl.RunAsync("get", "service", "hello", "-n", ns, "--no-headers")).EnsureSuccess().Stdout.Trim();
            var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (columns.Length > 3 && columns[3] != "<pending>")
            {
                return columns[3];
            }
        }

        Assert.Fail($"EXTERNAL-IP still pending: {line}");
        return "";
    }

    private static async Task<string> GetOnANewConnectionAsync(string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.ConnectionClose = true;
        using var response = await _http.SendAsync(request);
        return await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync();
    }

    [GeneratedRegex(@"Hostname: (\S+)")]
    private static partial Regex HostnameRegex();
}
