using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using Timonel.Api.Certificates;

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

    // Kestrel hands every request of a connection the same certificate object: the identity read from it (or the
    // refusal) is kept with that object, so a request costs a table lookup and a validity check, not a hash of the
    // certificate and a walk of its subject (both showed in create profiles).
    private readonly ConditionalWeakTable<X509Certificate2, Identity> _identities = new();

    public ClientCertificateAuthenticator(X509Certificate2 ca) => _ca = ca;

    public Task<UserInfo?> AuthenticateAsync(HttpContext context)
    {
        var certificate = context.Connection.ClientCertificate;
        if (certificate is null)
        {
            return Task.FromResult<UserInfo?>(null);
        }

        var identity = _identities.GetValue(certificate, Read);
        var now = DateTime.UtcNow;
        var valid = now >= identity.NotBeforeUtc && now <= identity.NotAfterUtc;
        return Task.FromResult(valid ? identity.User : null);
    }

    private Identity Read(X509Certificate2 certificate)
    {
        UserInfo? user = null;
        if (ChainsToCa(certificate))
        {
            var name = certificate.GetNameInfo(X509NameType.SimpleName, false);
            var groups = certificate.SubjectName.EnumerateRelativeDistinguishedNames()
                .Where(rdn => rdn.GetSingleElementType().Value == "2.5.4.10")
                .Select(rdn => rdn.GetSingleElementValue() ?? "")
                .Where(o => o.Length > 0);
            user = UserInfo.Authenticated(name, groups);
        }

        return new Identity(user, certificate.NotBefore.ToUniversalTime(), certificate.NotAfter.ToUniversalTime());
    }

    /// <summary>Verifies the certificate chains to the cluster CA alone (no system roots), for client auth.</summary>
    public bool IsIssuedByCa(X509Certificate2 certificate)
    {
        var now = DateTime.Now;
        if (now < certificate.NotBefore || now > certificate.NotAfter)
        {
            return false;
        }

        return ChainsToCa(certificate);
    }

    /// <summary>Whether the certificate chains to the cluster CA (validity period aside), remembered per certificate.</summary>
    private bool ChainsToCa(X509Certificate2 certificate)
    {
        var key = Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256));
        if (_verdicts.TryGetValue(key, out var known))
        {
            return known;
        }

        var verdict = CertificateAuthorityChain.IsClientCertificate(certificate, _ca);
        if (_verdicts.Count >= MaxRemembered)
        {
            _verdicts.Clear();
        }

        _verdicts[key] = verdict;
        return verdict;
    }

    /// <summary>Who a certificate names (null when the cluster CA did not issue it) and when it may be used.</summary>
    private sealed record Identity(UserInfo? User, DateTime NotBeforeUtc, DateTime NotAfterUtc);
}
