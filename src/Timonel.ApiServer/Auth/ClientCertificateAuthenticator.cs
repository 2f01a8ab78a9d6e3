using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;

namespace Timonel.ApiServer.Auth;

/// <summary>
/// x509 client certificates signed by the cluster CA: CN is the user, each O a group (upstream's x509 authenticator).
/// The TLS layer already checked the chain; this reads the identity.
/// </summary>
public sealed class ClientCertificateAuthenticator : IAuthenticator
{
    // Building a chain costs about 0.5 ms of CPU on Linux, as much as the rest of a GET (docs/benchmarks.md, API
    // server), and every request of a connection presents the same certificate. The verdict for one certificate
    // cannot change while it is inside its validity period, so it is remembered, in a bounded table.
    private const int MaxRemembered = 1024;
    private readonly X509Certificate2 _ca;
    private readonly ConcurrentDictionary<string, bool> _verdicts = new(StringComparer.Ordinal);

    public ClientCertificateAuthenticator(X509Certificate2 ca) => _ca = ca;

    public Task<UserInfo?> AuthenticateAsync(HttpContext context)
    {
        var certificate = context.Connection.ClientCertificate;
        if (certificate is null || !IsIssuedByCa(certificate))
        {
            return Task.FromResult<UserInfo?>(null);
        }

        var name = certificate.GetNameInfo(X509NameType.SimpleName, false);
        var groups = certificate.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(rdn => rdn.GetSingleElementType().Value == "2.5.4.10")
            .Select(rdn => rdn.GetSingleElementValue() ?? "")
            .Where(o => o.Length > 0);
        return Task.FromResult<UserInfo?>(UserInfo.Authenticated(name, groups));
    }

    /// <summary>Verifies the certificate chains to the cluster CA alone (no system roots), for client auth.</summary>
    public bool IsIssuedByCa(X509Certificate2 certificate)
    {
        var now = DateTime.Now;
        if (now < certificate.NotBefore || now > certificate.NotAfter)
        {
            return false;
        }

        var key = Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256));
        if (_verdicts.TryGetValue(key, out var known))
        {
            return known;
        }

        var verdict = BuildsToCa(certificate);
        if (_verdicts.Count >= MaxRemembered)
        {
            _verdicts.Clear();
        }

        _verdicts[key] = verdict;
        return verdict;
    }

    private bool BuildsToCa(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.2"));
        return chain.Build(certificate);
    }
}
