using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Timonel.Agent.Joining;

namespace Timonel.Agent.Tests.Joining;

public sealed class ServerTrustTests
{
    [Theory]
    [InlineData("K10abc123::server:secret", "abc123")]
    [InlineData("secret", null)]
    [InlineData("K10abc", null)]
    public void ParseHash_Token_TheCaHashOfASecureToken(string token, string? expected) => Assert.Equal(expected, ServerTrust.ParseHash(token));

    [Fact]
    public void Verify_MatchingHash_TheCertificate()
    {
        var bundle = Bundle();

        var ca = ServerTrust.Verify(bundle, Convert.ToHexStringLower(SHA256.HashData(bundle)));

        Assert.Equal("CN=test-ca", ca.Subject);
    }

    [Fact]
    public void Verify_OtherHash_RefusedAsK3sSaysIt()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ServerTrust.Verify(Bundle(), new string('0', 64)));
        Assert.StartsWith("token CA hash does not match the server CA hash", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_ShortTokenWithoutCaFile_ClearError()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerTrust.ConnectAsync(new Uri("https://127.0.0.1:1"), "secret", null, CancellationToken.None));
        Assert.Contains("--server-ca", error.Message, StringComparison.Ordinal);
    }

    private static byte[] Bundle()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=test-ca", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return Encoding.ASCII.GetBytes(ca.ExportCertificatePem() + "\n");
    }
}
