using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;

namespace Timonel.IntegrationTests;

/// <summary>
/// certificates.k8s.io/v1 end to end with the real kubectl: <c>kubectl get csr</c>, <c>kubectl certificate
/// approve|deny</c>, the csrsigning controller issuing with the cluster CA, and the csrapproving controller
/// approving kubelet client certificates for a requestor allowed nodeclient.
/// </summary>
public abstract class CertificateSigningRequestTests<TFixture> : IClassFixture<TFixture>
    where TFixture : ClusterFixture
{
    private readonly TFixture _fixture;

    protected CertificateSigningRequestTests(TFixture fixture) => _fixture = fixture;

    private TestCluster Cluster => _fixture.Cluster;

    [SkippableFact]
    public async Task CertificateApprove_ClientCsr_IssuedByTheClusterCa()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var name = "jane-" + Guid.NewGuid().ToString("N")[..6];
        await CreateCsrAsync(name, "kubernetes.io/kube-apiserver-client", "O=dev, CN=jane", "client auth");

        var pending = (await Cluster.Kubectl.RunAsync("get", "csr", name)).EnsureSuccess();
        (await Cluster.Kubectl.RunAsync("certificate", "approve", name)).EnsureSuccess();
        var issued = await UntilAsync(name, csr => csr["status"]?["certificate"] is not null);
        var listed = (await Cluster.Kubectl.RunAsync("get", "csr", name)).EnsureSuccess();

        Assert.Matches(@"^NAME\s+AGE\s+SIGNERNAME\s+REQUESTOR\s+REQUESTEDDURATION\s+CONDITION\n", pending.Stdout);
        Assert.Matches($@"(?m)^{name}\s+\S+\s+kubernetes.io/kube-apiserver-client\s+system:admin\s+<none>\s+Pending$", pending.Stdout);
        Assert.Matches($@"(?m)^{name}\s+\S+\s+kubernetes.io/kube-apiserver-client\s+system:admin\s+<none>\s+Approved,Issued$", listed.Stdout);
        var approved = issued["status"]!["conditions"]!.AsArray().Single()!;
        Assert.Equal(("Approved", "True", "KubectlApprove"), (approved["type"]!.GetValue<string>(), approved["status"]!.GetValue<string>(), approved["reason"]!.GetValue<string>()));
        using var certificate = X509Certificate2.CreateFromPem(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(issued["status"]!["certificate"]!.GetValue<string>())));
        Assert.Equal("jane", certificate.GetNameInfo(X509NameType.SimpleName, false));
        Assert.Equal(Cluster.Host.Pki.CertificateAuthority.Subject, certificate.Issuer);
    }

    [SkippableFact]
    public async Task CertificateDeny_Csr_DeniedAndNeverIssued()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var name = "denied-" + Guid.NewGuid().ToString("N")[..6];
        await CreateCsrAsync(name, "kubernetes.io/kube-apiserver-client", "O=dev, CN=mallory", "client auth");

        (await Cluster.Kubectl.RunAsync("certificate", "deny", name)).EnsureSuccess();
        var listed = (await Cluster.Kubectl.RunAsync("get", "csr", name)).EnsureSuccess();

        Assert.Matches($@"(?m)^{name}\s+\S+\s+kubernetes.io/kube-apiserver-client\s+system:admin\s+<none>\s+Denied$", listed.Stdout);
    }

    [SkippableFact]
    public async Task KubeletClientCsr_RequestorAllowedNodeClient_AutoApprovedAndIssued()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var name = "node-" + Guid.NewGuid().ToString("N")[..6];
        await CreateCsrAsync(name, "kubernetes.io/kube-apiserver-client-kubelet", "O=system:nodes, CN=system:node:n7", "digital signature", "client auth");

        var issued = await UntilAsync(name, csr => csr["status"]?["certificate"] is not null);

        var approved = issued["status"]!["conditions"]!.AsArray().Single()!;
        Assert.Equal("AutoApproved", approved["reason"]!.GetValue<string>());
        Assert.Equal("Auto approving kubelet client certificate after SubjectAccessReview.", approved["message"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task CreateCsr_SystemMastersForClientSigner_Forbidden()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var name = "masters-" + Guid.NewGuid().ToString("N")[..6];

        var created = await Cluster.Kubectl.RunWithInputAsync(Manifest(name, "kubernetes.io/kube-apiserver-client", "O=system:masters, CN=eve", "client auth"), "create", "-f", "-");

        Assert.Equal(
            $"Error from server (Forbidden): error when creating \"STDIN\": certificatesigningrequests.certificates.k8s.io \"{name}\" is forbidden: use of kubernetes.io/kube-apiserver-client signer with system:masters group is not allowed",
            created.Stderr.Trim());
    }

    private async Task CreateCsrAsync(string name, string signer, string subject, params string[] usages) =>
        (await Cluster.Kubectl.RunWithInputAsync(Manifest(name, signer, subject, usages), "create", "-f", "-")).EnsureSuccess();

    private static string Manifest(string name, string signer, string subject, params string[] usages)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(new CertificateRequest(subject, key, HashAlgorithmName.SHA256).CreateSigningRequestPem()));
        return $"apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata:\n  name: {name}\nspec:\n  request: {request}\n  signerName: {signer}\n  usages: [{string.Join(", ", usages.Select(u => $"\"{u}\""))}]\n";
    }

    // The controllers act on their own schedule: read the CSR until it shows what the test waits for.
    private async Task<JsonNode> UntilAsync(string name, Func<JsonNode, bool> condition)
    {
        for (var attempt = 0; ; attempt++)
        {
            var csr = JsonNode.Parse((await Cluster.Kubectl.RunAsync("get", "csr", name, "-o", "json")).EnsureSuccess().Stdout)!;
            if (condition(csr) || attempt == 100)
            {
                return csr;
            }

            await Task.Delay(100);
        }
    }
}

public sealed class CertificateSigningRequestTestsOnSqlite : CertificateSigningRequestTests<SqliteClusterFixture>
{
    public CertificateSigningRequestTestsOnSqlite(SqliteClusterFixture fixture)
        : base(fixture)
    {
    }
}
