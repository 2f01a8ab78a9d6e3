using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using k8s.Models;
using Timonel.Agent.Joining;

namespace Timonel.Agent.Tests.Joining;

public sealed class KubeletServingCertificateTests
{
    private static readonly V1NodeAddress[] _addresses =
    [
        new() { Type = "InternalIP", Address = "192.168.1.10" },
        new() { Type = "Hostname", Address = "worker-1" },
    ];

    [Fact]
    public void AlternativeNames_NodeAddresses_HostnameAsDnsNameAndIpAsIp()
    {
        var (dns, ips) = KubeletServingCertificate.AlternativeNames(_addresses);

        Assert.Equal(["worker-1"], dns);
        Assert.Equal([IPAddress.Parse("192.168.1.10")], ips);
    }

    [Fact]
    public void CreateRequest_Node_SubjectAndNamesTheSignerWants()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var pem = KubeletServingCertificate.CreateRequest("worker-1", ["worker-1"], [IPAddress.Parse("192.168.1.10")], key);

        var request = CertificateRequest.LoadSigningRequestPem(pem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        Assert.Equal("CN=system:node:worker-1, O=system:nodes", request.SubjectName.Format(false));
        var names = new X509SubjectAlternativeNameExtension(Assert.Single(request.CertificateExtensions, e => e.Oid?.Value == "2.5.29.17").RawData);
        Assert.Equal(["worker-1"], names.EnumerateDnsNames());
        Assert.Equal([IPAddress.Parse("192.168.1.10")], names.EnumerateIPAddresses());
        Assert.Equal(["digital signature", "server auth"], KubeletServingCertificate.Usages);
    }

    [Theory]
    [InlineData("worker-1", "192.168.1.10", true)]
    [InlineData("worker-1", "192.168.1.11", false)]
    [InlineData("worker-2", "192.168.1.10", false)]
    public void Names_SavedCertificate_ReusedOnlyWhileItNamesTheNodesAddresses(string node, string ip, bool expected)
    {
        using var certificate = Issue("worker-1", "worker-1", IPAddress.Parse("192.168.1.10"));

        Assert.Equal(expected, KubeletServingCertificate.Names(certificate, node, [node], [IPAddress.Parse(ip)]));
    }

    private static X509Certificate2 Issue(string node, string dns, IPAddress ip)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = CertificateRequest.LoadSigningRequestPem(KubeletServingCertificate.CreateRequest(node, [dns], [ip], key), HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        var requestWithKey = new CertificateRequest(request.SubjectName, key, HashAlgorithmName.SHA256);
        foreach (var extension in request.CertificateExtensions)
        {
            requestWithKey.CertificateExtensions.Add(extension);
        }

        return requestWithKey.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
    }
}
