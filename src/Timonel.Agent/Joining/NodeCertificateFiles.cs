using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Timonel.Agent.Joining;

/// <summary>
/// A node's certificate and key in its data dir (DATA/agent/NAME.crt and NAME.key, K3s' names), read back at the next
/// start and used again while still good.
/// </summary>
public sealed class NodeCertificateFiles
{
    private readonly string _certificatePath;
    private readonly string _keyPath;

    public NodeCertificateFiles(string directory, string name)
    {
        Directory = directory;
        _certificatePath = Path.Combine(directory, name + ".crt");
        _keyPath = Path.Combine(directory, name + ".key");
    }

    public string Directory { get; }

    public string CertificatePath => _certificatePath;

    /// <summary>The saved certificate with its key if there is one and <paramref name="stillGood"/> says so, else null.</summary>
    public X509Certificate2? Load(Func<X509Certificate2, bool> stillGood)
    {
        if (!File.Exists(_certificatePath) || !File.Exists(_keyPath))
        {
            return null;
        }

        X509Certificate2 saved;
        try
        {
            saved = X509Certificate2.CreateFromPemFile(_certificatePath, _keyPath);
        }
        catch (CryptographicException)
        {
            // Damaged or mismatched files: a new certificate is asked for.
            return null;
        }

        if (stillGood(saved))
        {
            return saved;
        }

        saved.Dispose();
        return null;
    }

    /// <summary>Writes the key (mode 0600) and the issued certificate, and returns them as one.</summary>
    public async Task<X509Certificate2> SaveAsync(ECDsa key, string certificatePem, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        await File.WriteAllTextAsync(_keyPath, key.ExportECPrivateKeyPem(), cancellationToken);
        File.SetUnixFileMode(_keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await File.WriteAllTextAsync(_certificatePath, certificatePem, cancellationToken);
        return X509Certificate2.CreateFromPemFile(_certificatePath, _keyPath);
    }

    /// <summary>Valid for another minute at least (a certificate about to expire is asked for again).</summary>
    public static bool ValidAMinuteMore(X509Certificate2 certificate, TimeProvider time) =>
        certificate.NotAfter.ToUniversalTime() > time.GetUtcNow().UtcDateTime.AddMinutes(1);
}
