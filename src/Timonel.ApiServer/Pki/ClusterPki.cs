using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Timonel.ApiServer.Pki;

/// <summary>
/// The cluster's certificates, created on first start under DATA/tls (as K3s does under server/tls):
/// a self-signed CA, the API server's serving certificate and an admin client certificate in O=system:masters.
/// ECDSA P-256 keys: generating them takes microseconds, so a first start stays well under a second.
/// </summary>
public sealed class ClusterPki
{
    private static readonly TimeSpan _caLifetime = TimeSpan.FromDays(3650);
    private static readonly TimeSpan _leafLifetime = TimeSpan.FromDays(365);

    private ClusterPki(X509Certificate2 ca, X509Certificate2 serving, X509Certificate2 admin, string directory)
    {
        CertificateAuthority = ca;
        Serving = serving;
        Admin = admin;
        Directory = directory;
    }

    public X509Certificate2 CertificateAuthority { get; }

    public X509Certificate2 Serving { get; }

    public X509Certificate2 Admin { get; }

    public string Directory { get; }

    public string CaCertificatePath => Path.Combine(Directory, "server-ca.crt");

    /// <summary>Loads the certificates from <paramref name="directory"/>, creating whatever is missing.</summary>
    public static ClusterPki LoadOrCreate(string directory, IReadOnlyCollection<string> extraSans)
    {
        System.IO.Directory.CreateDirectory(directory);
        var ca = LoadOrCreatePair(directory, "server-ca", () => CreateCa());
        var serving = LoadOrCreatePair(directory, "serving-kube-apiserver", () => CreateServing(ca, extraSans));
        var admin = LoadOrCreatePair(directory, "client-admin", () => CreateClient(ca, "system:admin", "system:masters"));
        return new ClusterPki(ca, serving, admin, directory);
    }

    /// <summary>
    /// A component's client certificate kept in the TLS directory as <c>client-NAME.crt/.key</c> (K3s' layout: the
    /// scheduler's is client-scheduler with CN system:kube-scheduler), issued on first use.
    /// </summary>
    public X509Certificate2 ComponentCertificate(string name, string user, params string[] groups) =>
        LoadOrCreatePair(Directory, "client-" + name, () => CreateClient(CertificateAuthority, user, groups));

    /// <summary>Issues a client certificate (CN = user, O = groups) signed by the cluster CA.</summary>
    public X509Certificate2 IssueClientCertificate(string user, params string[] groups) =>
        CreateClient(CertificateAuthority, user, groups);

    private static X509Certificate2 LoadOrCreatePair(string directory, string name, Func<X509Certificate2> create)
    {
        var certPath = Path.Combine(directory, name + ".crt");
        var keyPath = Path.Combine(directory, name + ".key");
        if (File.Exists(certPath) && File.Exists(keyPath))
        {
            return X509Certificate2.CreateFromPemFile(certPath, keyPath);
        }

        var created = create();
        File.WriteAllText(certPath, created.ExportCertificatePem());
        using var key = created.GetECDsaPrivateKey()!;
        File.WriteAllText(keyPath, key.ExportECPrivateKeyPem());
        File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return created;
    }

    private static X509Certificate2 CreateCa()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedName($"CN=timonel-server-ca@{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}");
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        return request.CreateSelfSigned(now, now + _caLifetime);
    }

    private static X509Certificate2 CreateServing(X509Certificate2 ca, IReadOnlyCollection<string> extraSans)
    {
        var sans = new SubjectAlternativeNameBuilder();
        foreach (var dns in new[] { "localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local", Dns.GetHostName() }
            .Concat(extraSans.Where(s => !IPAddress.TryParse(s, out _))).Distinct(StringComparer.Ordinal))
        {
            sans.AddDnsName(dns);
        }

        foreach (var ip in HostAddresses().Concat(extraSans.Select(s => IPAddress.TryParse(s, out var a) ? a : null).OfType<IPAddress>()).Distinct())
        {
            sans.AddIpAddress(ip);
        }

        return Issue(ca, new X500DistinguishedName("CN=kube-apiserver"), sans.Build(), "1.3.6.1.5.5.7.3.1");
    }

    private static X509Certificate2 CreateClient(X509Certificate2 ca, string user, params string[] groups)
    {
        var builder = new X500DistinguishedNameBuilder();
        foreach (var group in groups)
        {
            builder.AddOrganizationName(group);
        }

        builder.AddCommonName(user);
        return Issue(ca, builder.Build(), null, "1.3.6.1.5.5.7.3.2");
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, X500DistinguishedName subject, X509Extension? sans, string extendedUsageOid)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(extendedUsageOid)], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        if (sans is not null)
        {
            request.CertificateExtensions.Add(sans);
        }

        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var caKey = ca.GetECDsaPrivateKey()!;
        using var issued = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), now, now + _leafLifetime, serial);
        return issued.CopyWithPrivateKey(key);
    }

    private static IEnumerable<IPAddress> HostAddresses()
    {
        yield return IPAddress.Loopback;
        yield return IPAddress.IPv6Loopback;
        foreach (var nic in System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces())
        {
            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                if (!unicast.Address.IsIPv6LinkLocal)
                {
                    yield return unicast.Address;
                }
            }
        }
    }
}
