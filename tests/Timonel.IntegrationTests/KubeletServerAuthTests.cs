using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using Timonel.Agent.Kubelet.Server;
using Timonel.ApiServer.Pki;
using Timonel.Testing;

namespace Timonel.IntegrationTests;

/// <summary>Who the kubelet's HTTPS API answers: the API server's kubelet client certificate, and nobody else.</summary>
public sealed class KubeletServerAuthTests : IAsyncLifetime
{
    private readonly string _tls = Directory.CreateTempSubdirectory("timonel-kubelet-tls-").FullName;
    private ClusterPki _pki = null!;
    private KubeletServer _kubelet = null!;

    public async Task InitializeAsync()
    {
        _pki = ClusterPki.LoadOrCreate(_tls, []);
        _kubelet = await KubeletServer.StartAsync(
            new KubeletServerOptions
            {
                Endpoint = new IPEndPoint(IPAddress.Loopback, 0),
                ServingCertificate = _pki.IssueServingCertificate("kubelet", ["localhost"], [IPAddress.Loopback]),
                ClusterCa = _pki.CertificateAuthority,
            },
            new FakeStreamingRuntime(),
            NullLoggerFactory.Instance,
            TimeProvider.System,
            CancellationToken.None);
    }

    [Fact]
    public async Task Get_ApiServersKubeletClientCertificate_Served()
    {
        var response = await GetAsync(_pki.KubeletClient, "/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Get_NoClientCertificate_Unauthorized()
    {
        var response = await GetAsync(null, "/containerLogs/default/web/app");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Get_CertificateOfAnotherCa_Unauthorized()
    {
        var stranger = ClusterPki.LoadOrCreate(Path.Combine(_tls, "another-cluster"), []).KubeletClient;

        var response = await GetAsync(stranger, "/containerLogs/default/web/app");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Get_ClusterUserWithoutTheRight_Forbidden()
    {
        var someone = _pki.IssueClientCertificate("jane", "developers");

        var response = await GetAsync(someone, "/exec/default/web/app?command=ls&output=1");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("user=jane", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        await _kubelet.DisposeAsync();
        Directory.Delete(_tls, recursive: true);
    }

    private async Task<HttpResponseMessage> GetAsync(X509Certificate2? client, string path)
    {
        using var http = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = client is null ? null : [client],
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => CaTrust.IsIssuedBy(_pki.CertificateAuthority, certificate, errors),
            },
        });
        return await http.GetAsync(new Uri($"https://127.0.0.1:{_kubelet.Port}{path}"));
    }
}
