using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Timonel.Api.Certificates;

namespace Timonel.Api.Tests.Certificates;

public sealed class CertificateAuthorityChainTests : IDisposable
{
    private readonly X509Certificate2 _ca = NewCa("cluster-ca");
    private readonly X509Certificate2 _otherCa = NewCa("other-ca");

    public void Dispose()
    {
        _ca.Dispose();
        _otherCa.Dispose();
    }

    [Theory]
    [InlineData(true, true, true)]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    public void IsClientCertificate_IssuerAndUsage_BothNeeded(bool byClusterCa, bool clientUsage, bool expected)
    {
        using var leaf = Issue(byClusterCa ? _ca : _otherCa, "system:node:box", clientUsage);

        Assert.Equal(expected, CertificateAuthorityChain.IsClientCertificate(leaf, _ca));
    }

    [Fact]
    public void IsIssuedBy_AnyUsage_OnlyTheIssuerCounts()
    {
        using var ours = Issue(_ca, "kubelet", clientUsage: false);
        using var theirs = Issue(_otherCa, "kubelet", clientUsage: false);

        Assert.Equal((true, false), (CertificateAuthorityChain.IsIssuedBy(ours, _ca), CertificateAuthorityChain.IsIssuedBy(theirs, _ca)));
    }

    [Theory]
    [InlineData(SslPolicyErrors.None, true)]
    [InlineData(SslPolicyErrors.RemoteCertificateChainErrors, true)]
    [InlineData(SslPolicyErrors.RemoteCertificateNameMismatch, false)]
    [InlineData(SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateChainErrors, false)]
    public void IsServerCertificate_OnlyChainErrorsAreJudgedAgain(SslPolicyErrors errors, bool expected)
    {
        using var server = Issue(_ca, "kubelet", clientUsage: false);

        Assert.Equal(expected, CertificateAuthorityChain.IsServerCertificate(server, errors, _ca));
    }

    [Fact]
    public void IsServerCertificate_NoCertificate_Refused() =>
        Assert.False(CertificateAuthorityChain.IsServerCertificate(null, SslPolicyErrors.RemoteCertificateNotAvailable, _ca));

    private static X509Certificate2 NewCa(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.DigitalSignature, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string name, bool clientUsage)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var usage = clientUsage ? "1.3.6.1.5.5.7.3.2" : "1.3.6.1.5.5.7.3.1";
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        var serial = RandomNumberGenerator.GetBytes(8);
        return request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1), serial);
    }
}
