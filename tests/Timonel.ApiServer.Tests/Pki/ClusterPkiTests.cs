using System.Net;
using System.Security.Cryptography.X509Certificates;
using Timonel.ApiServer.Pki;

namespace Timonel.ApiServer.Tests.Pki;

public sealed class ClusterPkiTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("timonel-pki-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void ServingCertificate_NamesTheServiceNamesTheExtraSansAndLoopback()
    {
        var pki = ClusterPki.LoadOrCreate(_directory, ["10.43.0.1", "api.example.com"]);

        var (names, addresses) = Sans(pki.Serving);

        Assert.Contains("kubernetes.default.svc", names);
        Assert.Contains("api.example.com", names);
        Assert.Contains(IPAddress.Parse("10.43.0.1"), addresses);
        Assert.Contains(IPAddress.Loopback, addresses);
    }

    [Fact]
    public void ServingCertificate_KeptAcrossStartsWithTheSameSans()
    {
        var first = ClusterPki.LoadOrCreate(_directory, ["10.43.0.1"]);

        var second = ClusterPki.LoadOrCreate(_directory, ["10.43.0.1"]);

        Assert.Equal(first.Serving.Thumbprint, second.Serving.Thumbprint);
    }

    [Fact]
    public void ServingCertificate_FromAnEarlierStartLackingAWantedSan_IsIssuedAgainByTheSameCa()
    {
        var first = ClusterPki.LoadOrCreate(_directory, []);

        var second = ClusterPki.LoadOrCreate(_directory, ["10.43.0.1", "api.example.com"]);
        var third = ClusterPki.LoadOrCreate(_directory, ["10.43.0.1"]);

        Assert.NotEqual(first.Serving.Thumbprint, second.Serving.Thumbprint);
        Assert.Equal(first.CertificateAuthority.Thumbprint, second.CertificateAuthority.Thumbprint);
        Assert.Contains(IPAddress.Parse("10.43.0.1"), Sans(second.Serving).Addresses);
        Assert.Contains("api.example.com", Sans(second.Serving).Names);
        Assert.Equal(second.Serving.Thumbprint, third.Serving.Thumbprint);
    }

    private static (List<string> Names, List<IPAddress> Addresses) Sans(X509Certificate2 certificate)
    {
        var extension = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        return ([.. extension.EnumerateDnsNames()], [.. extension.EnumerateIPAddresses()]);
    }
}
