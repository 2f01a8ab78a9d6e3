using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Timonel.IntegrationTests;

/// <summary>
/// A kubelet's identity (a client certificate for system:node:n1 in system:nodes) under the Node authorizer and
/// NodeRestriction: it reads what pods bound to it use, and writes only its own Node and its pods' status.
/// </summary>
public abstract class NodeIdentityTests<TFixture> : IClassFixture<TFixture>
    where TFixture : ClusterFixture
{
    private readonly TFixture _fixture;

    protected NodeIdentityTests(TFixture fixture) => _fixture = fixture;

    private TestCluster Cluster => _fixture.Cluster;

    [SkippableFact]
    public async Task GetSecret_MountedByAPodOnTheNode_ReadableAndOthersForbidden()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync("node");
        await CreateSecretAsync(ns, "mounted");
        await CreateSecretAsync(ns, "other");
        await CreatePodAsync(ns, "web", "n1", "mounted");
        var node = NodeKubectl();

        var mounted = await UntilSucceedsAsync(() => node.RunAsync("get", "secret", "mounted", "-n", ns, "-o", "name"));
        var other = await node.RunAsync("get", "secret", "other", "-n", ns);

        Assert.Equal("secret/mounted", mounted.Stdout.Trim());
        Assert.NotEqual(0, other.ExitCode);
        Assert.Equal(
            $"Error from server (Forbidden): secrets \"other\" is forbidden: User \"system:node:n1\" cannot get resource \"secrets\" in API group \"\" in the namespace \"{ns}\": no relationship found between node 'n1' and this object",
            other.Stderr.Trim());
    }

    [SkippableFact]
    public async Task PatchNode_AnotherNode_ForbiddenByNodeRestriction()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var other = "n2-" + Guid.NewGuid().ToString("N")[..6];
        (await Cluster.Kubectl.RunWithInputAsync($"apiVersion: v1\nkind: Node\nmetadata:\n  name: {other}\n", "create", "-f", "-")).EnsureSuccess();
        using var node = NodeClient();

        // kubectl patch reads the object first, which the Node authorizer already refuses; the client patches directly.
        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => node.CoreV1.PatchNodeAsync(new V1Patch("""{"metadata":{"labels":{"team":"a"}}}""", V1Patch.PatchType.MergePatch), other));

        Assert.Equal(HttpStatusCode.Forbidden, refused.Response.StatusCode);
        Assert.Contains($"nodes \\\"{other}\\\" is forbidden: node \\\"n1\\\" is not allowed to modify node \\\"{other}\\\"", refused.Response.Content, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task UpdatePodStatus_OwnPodAllowed_PodOnAnotherNodeForbidden()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync("node");
        await CreatePodAsync(ns, "mine", "n1", null);
        await CreatePodAsync(ns, "theirs", "n2", null);
        using var admin = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Cluster.Host.KubeconfigPath));
        using var node = NodeClient();

        var mine = await admin.CoreV1.ReadNamespacedPodAsync("mine", ns);
        mine.Status = new V1PodStatus { Phase = "Running" };
        var updated = await node.CoreV1.ReplaceNamespacedPodStatusAsync(mine, "mine", ns);
        var theirs = await admin.CoreV1.ReadNamespacedPodAsync("theirs", ns);
        theirs.Status = new V1PodStatus { Phase = "Running" };
        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => node.CoreV1.ReplaceNamespacedPodStatusAsync(theirs, "theirs", ns));

        Assert.Equal("Running", updated.Status.Phase);
        Assert.Equal(HttpStatusCode.Forbidden, refused.Response.StatusCode);
        Assert.Contains("pods \\\"theirs\\\" is forbidden: node \\\"n1\\\" can only update pod status for pods with spec.nodeName set to itself", refused.Response.Content, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task GetNodes_AllOfThem_ForbiddenOnlyItsOwn()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);

        var all = await NodeKubectl().RunAsync("get", "nodes");

        Assert.Equal(
            "Error from server (Forbidden): nodes is forbidden: User \"system:node:n1\" cannot list resource \"nodes\" in API group \"\" at the cluster scope: node 'n1' cannot read all nodes, only its own Node object",
            all.Stderr.Trim());
    }

    private Kubectl NodeKubectl()
    {
        using var certificate = Cluster.Host.Pki.IssueClientCertificate("system:node:n1", "system:nodes");
        return new Kubectl(ClientCertificateKubeconfig.Write(Cluster, certificate, "n1"));
    }

    private Kubernetes NodeClient()
    {
        using var certificate = Cluster.Host.Pki.IssueClientCertificate("system:node:n1", "system:nodes");
        return new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(ClientCertificateKubeconfig.Write(Cluster, certificate, "n1")));
    }

    private async Task CreateSecretAsync(string ns, string name) =>
        (await Cluster.Kubectl.RunAsync("create", "secret", "generic", name, "-n", ns, "--from-literal=k=v")).EnsureSuccess();

    private async Task CreatePodAsync(string ns, string name, string node, string? secret)
    {
        var volumes = secret is null ? "" : $"\n  volumes:\n  - name: s\n    secret:\n      secretName: {secret}";
        var yaml = $"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n  nodeName: {node}\n  containers:\n  - name: c\n    image: nginx{volumes}\n";
        (await Cluster.Kubectl.RunWithInputAsync(yaml, "create", "-f", "-")).EnsureSuccess();
    }

    // The Node authorizer's graph follows the watch cache asynchronously, as upstream's follows its informers.
    private static async Task<KubectlResult> UntilSucceedsAsync(Func<Task<KubectlResult>> run)
    {
        var result = await run();
        for (var attempt = 0; attempt < 50 && result.ExitCode != 0; attempt++)
        {
            await Task.Delay(100);
            result = await run();
        }

        return result.EnsureSuccess();
    }
}

public sealed class NodeIdentityTestsOnSqlite : NodeIdentityTests<SqliteClusterFixture>
{
    public NodeIdentityTestsOnSqlite(SqliteClusterFixture fixture)
        : base(fixture)
    {
    }
}
