using System.Text.Json.Nodes;

namespace Timonel.IntegrationTests.Node;

/// <summary>
/// <c>timonel agent --server URL --token T</c> makes this machine a real node of a server that runs none: its CSRs
/// (client certificate with the bootstrap token, kubelet serving certificate as the node) are approved and issued by
/// the controller manager, the node IPAM controller gives it a pod range, a pod runs on it, and kubectl exec and logs
/// reach its kubelet through the API server, which checks the kubelet's CSR-issued serving certificate.
/// </summary>
public sealed class AgentJoinRealNodeTests : IClassFixture<JoinedNodeFixture>
{
    private readonly JoinedNodeFixture _node;

    public AgentJoinRealNodeTests(JoinedNodeFixture node) => _node = node;

    private Kubectl Kubectl => _node.Kubectl;

    [SkippableFact]
    public async Task Csrs_ClientAndServing_ApprovedAndIssuedForTheNode()
    {
        Skip.If(_node.SkipReason is not null, _node.SkipReason);

        var csrs = await _node.CsrsAsync();
        var table = (await Kubectl.RunAsync("get", "csr")).EnsureSuccess().Stdout;

        var client = Assert.Single(csrs, csr => Signer(csr) == "kubernetes.io/kube-apiserver-client-kubelet")!;
        var serving = Assert.Single(csrs, csr => Signer(csr) == "kubernetes.io/kubelet-serving")!;
        Assert.StartsWith("system:bootstrap:", client["spec"]!["username"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("system:node:" + _node.NodeName, serving["spec"]!["username"]!.GetValue<string>());
        foreach (var csr in new[] { client, serving })
        {
            Assert.Equal("Approved", csr["status"]!["conditions"]![0]!["type"]!.GetValue<string>());
            Assert.NotNull(csr["status"]!["certificate"]);
        }

        Assert.Equal(2, table.Split('\n').Count(line => line.Contains("Approved,Issued", StringComparison.Ordinal)));
    }

    [SkippableFact]
    public async Task Node_RegisteredAsItself_HasAPodRange()
    {
        Skip.If(_node.SkipReason is not null, _node.SkipReason);

        var podCidr = await EventuallyAsync(async () => (await Kubectl.RunAsync("get", "node", _node.NodeName, "-o", "jsonpath={.spec.podCIDR}")).Stdout, s => s.Length > 0);

        Assert.Matches(@"^10\.42\.\d+\.0/24$", podCidr);
    }

    [SkippableFact]
    public async Task Pod_OnTheJoinedNode_RunsAndAnswersExecAndLogsThroughTheApiServer()
    {
        Skip.If(_node.SkipReason is not null, _node.SkipReason);
        var ns = await _node.CreateNamespaceAsync();

        (await Kubectl.RunAsync("run", "sleeper", "-n", ns, "--image=busybox", "--image-pull-policy=IfNotPresent", "--", "sh", "-c", "echo hello from the joined node; sleep 3600")).EnsureSuccess();
        var ready = await Kubectl.RunAsync("wait", "pod/sleeper", "-n", ns, "--for=condition=Ready", "--timeout=120s");
        Assert.True(ready.ExitCode == 0, $"{ready}\n{(await Kubectl.RunAsync("describe", "pod", "sleeper", "-n", ns)).Stdout}\n{_node.Output}");
        var exec = await Kubectl.RunAsync("exec", "sleeper", "-n", ns, "--", "sh", "-c", "echo from exec; exit 3");
        var logs = await EventuallyAsync(async () => (await Kubectl.RunAsync("logs", "sleeper", "-n", ns)).Stdout, s => s.Length > 0);
        var nodeName = (await Kubectl.RunAsync("get", "pod", "sleeper", "-n", ns, "-o", "jsonpath={.spec.nodeName}")).EnsureSuccess().Stdout;

        Assert.Equal(_node.NodeName, nodeName);
        Assert.Equal((3, "from exec\n"), (exec.ExitCode, exec.Stdout));
        Assert.Equal("hello from the joined node\n", logs);
        await Kubectl.RunAsync("delete", "namespace", ns, "--wait=false");
    }

    private static string? Signer(JsonNode? csr) => csr?["spec"]?["signerName"]?.GetValue<string>();

    private static async Task<string> EventuallyAsync(Func<Task<string>> read, Func<string, bool> check)
    {
        var value = "";
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline; await Task.Delay(500))
        {
            value = await read();
            if (check(value))
            {
                break;
            }
        }

        return value;
    }
}
