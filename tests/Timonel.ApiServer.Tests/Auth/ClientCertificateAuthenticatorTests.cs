using Timonel.ApiServer.Auth;
using Timonel.ApiServer.Pki;

namespace Timonel.ApiServer.Tests.Auth;

public sealed class ClientCertificateAuthenticatorTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("timonel-auth-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void IsIssuedByCa_AskedTwice_SameVerdictEachTime(bool sameCluster, bool expected)
    {
        var cluster = ClusterPki.LoadOrCreate(Path.Combine(_directory, "a"), []);
        var issuer = sameCluster ? cluster : ClusterPki.LoadOrCreate(Path.Combine(_directory, "b"), []);
        using var certificate = issuer.IssueClientCertificate("jane", "dev");
        var authenticator = new ClientCertificateAuthenticator(cluster.CertificateAuthority);

        // The second answer comes from the remembered verdict, and must not turn a stranger into a user.
        Assert.Equal(expected, authenticator.IsIssuedByCa(certificate));
        Assert.Equal(expected, authenticator.IsIssuedByCa(certificate));
    }
}
