using System.Security.Cryptography.X509Certificates;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.Controllers.Certificates;
using Timonel.Testing.Api;
using Timonel.Testing.Informers;

namespace Timonel.Controllers.Tests.Certificates;

public sealed class CsrSigningControllerTests : IDisposable
{
    private const string Status = "PUT /apis/certificates.k8s.io/v1/certificatesigningrequests/csr-1/status";
    private static readonly DateTimeOffset _now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeApiServer _api = new();
    private readonly TestInformer<V1CertificateSigningRequest> _requests = new();
    private readonly X509Certificate2 _ca = TestCsrs.Ca(_now);
    private readonly CsrSigningController _controller;

    public CsrSigningControllerTests() =>
        _controller = new(_api.Client, _requests.Informer, _ca, new FakeTimeProvider(_now), NullLogger<CsrSigningController>.Instance);

    public void Dispose()
    {
        _controller.Dispose();
        _api.Dispose();
        _ca.Dispose();
    }

    [Fact]
    public async Task SyncAsync_ApprovedKubeletClient_IssuesCertificateForOneYear()
    {
        _requests.Add(TestCsrs.KubeletClient("csr-1", "system:bootstrap:abcdef", approval: "Approved"));

        await _controller.SyncAsync("csr-1", CancellationToken.None);

        Assert.Equal([Status], _api.Calls);
        using var issued = Issued();
        Assert.Equal("O=system:nodes, CN=system:node:n1", issued.Subject);
        Assert.Equal(_ca.Subject, issued.Issuer);
        Assert.Equal(_now.AddMinutes(-5).UtcDateTime, issued.NotBefore.ToUniversalTime());
        Assert.Equal(_now.AddDays(365).UtcDateTime, issued.NotAfter.ToUniversalTime());
        Assert.Contains(issued.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>(), oid => oid.Value == "1.3.6.1.5.5.7.3.2");
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = _now.UtcDateTime;
        Assert.True(chain.Build(issued));
    }

    [Fact]
    public async Task SyncAsync_ExpirationSecondsRequested_Honoured()
    {
        _requests.Add(TestCsrs.KubeletClient("csr-1", "system:node:n1", approval: "Approved", expirationSeconds: 3600));

        await _controller.SyncAsync("csr-1", CancellationToken.None);

        using var issued = Issued();
        Assert.Equal(_now.AddHours(1).UtcDateTime, issued.NotAfter.ToUniversalTime());
    }

    [Fact]
    public async Task SyncAsync_ClientSignerWithServerUsage_MarkedFailed()
    {
        _requests.Add(TestCsrs.Csr("csr-1", "kubernetes.io/kube-apiserver-client", "O=dev, CN=jane", ["client auth", "server auth"], "jane", approval: "Approved"));

        await _controller.SyncAsync("csr-1", CancellationToken.None);

        var written = _api.Requests.Single().BodyAs<V1CertificateSigningRequest>();
        Assert.Null(written.Status.Certificate);
        var failed = written.Status.Conditions.Single(c => c.Type == "Failed");
        Assert.Equal(("SignerValidationFailure", "invalid usage for client certificate: server auth"), (failed.Reason, failed.Message));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Denied")]
    public async Task SyncAsync_NotApproved_CallsNothing(string? approval)
    {
        _requests.Add(TestCsrs.KubeletClient("csr-1", "system:node:n1", approval: approval));

        await _controller.SyncAsync("csr-1", CancellationToken.None);

        Assert.Empty(_api.Calls);
    }

    [Fact]
    public async Task SyncAsync_UnknownSigner_CallsNothing()
    {
        _requests.Add(TestCsrs.Csr("csr-1", "example.com/custom", "CN=jane", ["client auth"], "jane", approval: "Approved"));

        await _controller.SyncAsync("csr-1", CancellationToken.None);

        Assert.Empty(_api.Calls);
    }

    private X509Certificate2 Issued() =>
        X509Certificate2.CreateFromPem(System.Text.Encoding.UTF8.GetString(_api.Requests.Single().BodyAs<V1CertificateSigningRequest>().Status.Certificate));
}
