using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Timonel.ApiServer.Pki;

/// <summary>
/// The cluster's certificates, created on first start under DATA/tls (as K3s does under server/tls):
/// a self-signed CA, the API server's serving certificate, an admin client certificate in O=system:masters, and the
/// client certificate the API server presents to kubelets (kubeadm's apiserver-kubelet-client).
/// ECDSA P-256 keys: generating them takes microseconds, so a first start stays well under a second.
/// </summary>
public sealed class ClusterPki
{
    /// <summary>The kubelet client certificate's CN, which kubelets accept as the API server's.</summary>
    public const string KubeletClientUser = "kube-apiserver-kubelet-client";

    private static readonly TimeSpan _caLifetime = TimeSpan.FromDays(3650);
    private static readonly TimeSpan _leafLifetime = TimeSpan.FromDays(365);

    private ClusterPki(X509Certificate2 ca, X509Certificate2 serving, X509Certificate2 admin, X509Certificate2 kubeletClient, string directory)
    {
        CertificateAuthority = ca;
        Serving = serving;
        Admin = admin;
        KubeletClient = kubeletClient;
        Directory = directory;
    }

    public X509Certificate2 CertificateAuthority { get; }

    public X509Certificate2 Serving { get; }

    public X509Certificate2 Admin { get; }

    /// <summary>What the API server shows a kubelet when it proxies logs, exec, attach and port-forward.</summary>
    public X509Certificate2 KubeletClient { get; }

    public string Directory { get; }

    public string CaCertificatePath => Path.Combine(Directory, "server-ca.crt");

    /// <summary>
    /// Loads the certificates from <paramref name="directory"/>, creating whatever is missing. The serving certificate
    /// names <paramref name="extraSans"/> (--tls-san, and the kubernetes Service's cluster IP, which in-cluster clients
    /// dial) besides the host's names and addresses; one kept from an earlier start that lacks any of them is issued
    /// again, as K3s adds SANs to its listener's certificate.
    /// </summary>
    public static ClusterPki LoadOrCreate(string directory, IReadOnlyCollection<string> extraSans)
    {
        System.IO.Directory.CreateDirectory(directory);
        var ca = LoadOrCreatePair(directory, "server-ca", () => CreateCa());
        var serving = LoadOrCreatePair(directory, "serving-kube-apiserver", () => CreateServing(ca, extraSans), existing => Names(existing, extraSans));
        var admin = LoadOrCreatePair(directory, "client-admin", () => CreateClient(ca, "system:admin", "system:masters"));
        var kubeletClient = LoadOrCreatePair(directory, "client-kube-apiserver-kubelet", () => CreateClient(ca, KubeletClientUser, "system:masters"));
        return new ClusterPki(ca, serving, admin, kubeletClient, directory);
    }

    /// <summary>
    /// The local kubelet's serving certificate, for its node name and addresses (K3s' serving-kubelet.crt), issued at
    /// every start because the machine's address may have changed since the last.
    /// </summary>
    public X509Certificate2 KubeletServingCertificate(string nodeName, IEnumerable<IPAddress> addresses)
    {
        var issued = IssueServingCertificate(nodeName, [nodeName, "localhost"], addresses.Append(IPAddress.Loopback));
        File.WriteAllText(Path.Combine(Directory, "serving-kubelet.crt"), issued.ExportCertificatePem());
        return issued;
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

    /// <param name="stillFits">Whether a pair found on disk may be kept (else it is issued again); any pair when null.</param>
    private static X509Certificate2 LoadOrCreatePair(string directory, string name, Func<X509Certificate2> create, Func<X509Certificate2, bool>? stillFits = null)
    {
        var certPath = Path.Combine(directory, name + ".crt");
        var keyPath = Path.Combine(directory, name + ".key");
        if (File.Exists(certPath) && File.Exists(keyPath))
        {
            var existing = X509Certificate2.CreateFromPemFile(certPath, keyPath);
            if (stillFits is null || stillFits(existing))
            {
                return existing;
            }

            existing.Dispose();
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

    /// <summary>
    /// A serving certificate signed by the cluster CA for the given names and addresses, as a kubelet's for its node
    /// name and InternalIP (kubeadm's kubelet serving certificate; the API server checks it against the CA).
    /// </summary>
    public X509Certificate2 IssueServingCertificate(string commonName, IEnumerable<string> dnsNames, IEnumerable<IPAddress> addresses) =>
        CreateServing(CertificateAuthority, commonName, dnsNames, addresses);

    private static X509Certificate2 CreateServing(X509Certificate2 ca, IReadOnlyCollection<string> extraSans) =>
        CreateServing(
            ca,
            "kube-apiserver",
            new[] { "localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local", Dns.GetHostName() }
                .Concat(extraSans.Where(s => !IPAddress.TryParse(s, out _))),
            HostAddresses().Concat(extraSans.Select(s => IPAddress.TryParse(s, out var a) ? a : null).OfType<IPAddress>()));

    private static X509Certificate2 CreateServing(X509Certificate2 ca, string commonName, IEnumerable<string> dnsNames, IEnumerable<IPAddress> addresses)
    {
        var sans = new SubjectAlternativeNameBuilder();
        foreach (var dns in dnsNames.Distinct(StringComparer.Ordinal))
        {
            sans.AddDnsName(dns);
        }

        foreach (var ip in addresses.Distinct())
        {
            sans.AddIpAddress(ip);
        }

        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(commonName);
        return Issue(ca, subject.Build(), sans.Build(), "1.3.6.1.5.5.7.3.1");
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

    /// <summary>Whether the certificate's subject alternative names hold every name and address given.</summary>
    private static bool Names(X509Certificate2 certificate, IEnumerable<string> sans)
    {
        var extension = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        var dnsNames = extension?.EnumerateDnsNames().ToHashSet(StringComparer.OrdinalIgnoreCase) ?? [];
        var addresses = extension?.EnumerateIPAddresses().ToHashSet() ?? [];
        return sans.All(san => IPAddress.TryParse(san, out var address) ? addresses.Contains(address) : dnsNames.Contains(san));
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
