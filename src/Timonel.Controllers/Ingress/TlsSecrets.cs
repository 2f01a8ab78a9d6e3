using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s.Models;

namespace Timonel.Controllers.Ingress;

/// <summary>
/// Loads the certificates of kubernetes.io/tls Secrets (tls.crt and tls.key, PEM), keeping each loaded one until its
/// Secret's resourceVersion changes, so a rebuild after an endpoint change parses nothing again.
/// </summary>
public sealed class TlsSecrets
{
    public const string SecretType = "kubernetes.io/tls";

    private readonly Dictionary<string, (string? Version, X509Certificate2? Certificate, string? Problem)> _loaded = new(StringComparer.Ordinal);

    /// <summary>The Secret's certificate, or null with the reason (missing Secret, wrong type, bad PEM).</summary>
    public (X509Certificate2? Certificate, string? Problem) Load(string ns, string name, V1Secret? secret)
    {
        var key = ns + "/" + name;
        if (secret is null)
        {
            _loaded.Remove(key);
            return (null, $"secret \"{key}\" not found");
        }

        if (_loaded.TryGetValue(key, out var cached) && cached.Version == secret.Metadata.ResourceVersion)
        {
            return (cached.Certificate, cached.Problem);
        }

        var loaded = Parse(key, secret);
        _loaded[key] = (secret.Metadata.ResourceVersion, loaded.Certificate, loaded.Problem);
        return loaded;
    }

    /// <summary>Forgets Secrets no Ingress names any more.</summary>
    public void Retain(IReadOnlySet<string> keys)
    {
        foreach (var key in _loaded.Keys.Where(k => !keys.Contains(k)).ToList())
        {
            _loaded.Remove(key);
        }
    }

    private static (X509Certificate2? Certificate, string? Problem) Parse(string key, V1Secret secret)
    {
        byte[]? crt = null;
        byte[]? pem = null;
        if (secret.Type != SecretType || secret.Data?.TryGetValue("tls.crt", out crt) != true || !secret.Data.TryGetValue("tls.key", out pem))
        {
            return (null, $"secret \"{key}\" is not a {SecretType} Secret with tls.crt and tls.key");
        }

        try
        {
            using var pemLoaded = X509Certificate2.CreateFromPem(Encoding.UTF8.GetString(crt!), Encoding.UTF8.GetString(pem!));
            // Re-imported so the private key lives with the certificate as SslStream wants it on every platform.
            return (X509CertificateLoader.LoadPkcs12(pemLoaded.Export(X509ContentType.Pkcs12), null), null);
        }
        catch (CryptographicException ex)
        {
            return (null, $"secret \"{key}\" holds no usable certificate: {ex.Message}");
        }
    }
}
