using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Timonel.Storage.Etcd;

/// <summary>
/// The loaded form of <see cref="EtcdTlsFiles"/>, applied to every TLS connection to etcd: the client certificate is
/// presented, and etcd's serving certificate must chain to the given CA (and name the host, as Go's TLS checks).
/// Loading happens once at start-up so a missing or unreadable file stops the server with its name.
/// </summary>
internal sealed class EtcdClientTls
{
    private readonly X509Certificate2Collection _trustedRoots;
    private readonly X509Certificate2? _clientCertificate;

    private EtcdClientTls(X509Certificate2Collection trustedRoots, X509Certificate2? clientCertificate)
    {
        _trustedRoots = trustedRoots;
        _clientCertificate = clientCertificate;
    }

    public static EtcdClientTls Load(EtcdTlsFiles files)
    {
        if ((files.CertFile is null) != (files.KeyFile is null))
        {
            throw new ArgumentException("--datastore-certfile and --datastore-keyfile must be given together");
        }

        var roots = new X509Certificate2Collection();
        if (files.CaFile is not null)
        {
            roots.ImportFromPemFile(RequireFile(files.CaFile, "--datastore-cafile"));
            if (roots.Count == 0)
            {
                throw new ArgumentException($"--datastore-cafile {files.CaFile}: no PEM certificate in the file");
            }
        }

        var client = files.CertFile is null ? null : X509Certificate2.CreateFromPemFile(RequireFile(files.CertFile, "--datastore-certfile"), RequireFile(files.KeyFile!, "--datastore-keyfile"));
        return new EtcdClientTls(roots, client);
    }

    public void Apply(SslClientAuthenticationOptions options)
    {
        if (_clientCertificate is not null)
        {
            options.ClientCertificates = [_clientCertificate];
        }

        if (_trustedRoots.Count > 0)
        {
            options.RemoteCertificateValidationCallback = IsTrusted;
        }
    }

    private static string RequireFile(string path, string flag) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"{flag} {path}: no such file", path);

    // Only the chain is judged against the given CA; a name mismatch or a missing certificate still fails.
    private bool IsTrusted(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_trustedRoots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            // Intermediates etcd sent along with its certificate.
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
        }

        return custom.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }
}
