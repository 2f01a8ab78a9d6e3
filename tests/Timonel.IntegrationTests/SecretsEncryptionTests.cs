using System.Diagnostics;
using System.Text;
using Timonel.Storage;
using Timonel.Storage.Etcd;
using Timonel.Storage.Sqlite;
using Timonel.Testing;

namespace Timonel.IntegrationTests;

/// <summary>
/// Secrets encrypted at rest by default (K3s' --secrets-encryption, always on here): what the datastore holds for a
/// Secret applied with kubectl, K3s' key rotation through <c>timonel secrets-encrypt</c>, and a server started
/// without the key that encrypted a Secret.
/// </summary>
public sealed class SecretsEncryptionTests : IDisposable
{
    private const string SecretKey = "/registry/secrets/default/db-credentials";

    // examples/12-secret.yaml's password, as stored (base64 in the object's JSON) and decoded.
    private static readonly string[] _plaintexts = ["c3VwM3JwYXNzdzByZAo=", "sup3rpassw0rd"];
    private static readonly TimeSpan _startTimeout = TimeSpan.FromMinutes(4);
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "timonel-enc-" + Guid.NewGuid().ToString("N")[..10]);

    [SkippableFact]
    public async Task Sqlite_ApplyRotateReencryptThenKeyMissing_NoPlaintextStoredReadableThroughoutClearErrorWithoutTheKey()
    {
        Skip.If(ServerProcess.RepoRoot is null, "the repository's ./timonel launcher is not above the test binaries");
        Skip.IfNot(Kubectl.IsInstalled, Kubectl.SkipReason);
        string firstStored;
        string rotatedStored;
        string status;
        KubectlResult readAfterRotation;
        await using (var server = ServerProcess.Start(_dataDir, "--disable-scheduler"))
        {
            Assert.True(await server.WaitReadyAsync(_startTimeout), "the server did not become ready:\n" + server.Output);
            var kubectl = new Kubectl(Path.Combine(_dataDir, "kubeconfig.yaml"));
            (await kubectl.RunAsync("apply", "-f", Examples.File("12-secret.yaml"))).EnsureSuccess();
            firstStored = DatabaseText();

            await SecretsEncryptAsync(server, "prepare");
            await SecretsEncryptAsync(server, "rotate");
            await SecretsEncryptAsync(server, "reencrypt");
            status = await SecretsEncryptAsync(server, "status");
            readAfterRotation = (await kubectl.RunAsync("get", "secret", "db-credentials", "-o", "jsonpath={.data.password}")).EnsureSuccess();
            Assert.Equal(0, await server.TerminateAsync(TimeSpan.FromSeconds(30)));
        }

        await using (var store = await SqliteStorageBackend.OpenAsync(StorageBackendFactory.DefaultSqlitePath(_dataDir)))
        {
            rotatedStored = Encoding.UTF8.GetString((await store.GetAsync(SecretKey))!.Value);
        }

        // Restarted with a configuration that lacks the key: that Secret is refused, the rest is served.
        var withoutTheKey = Path.Combine(_dataDir, "other-key.yaml");
        File.WriteAllText(withoutTheKey, $"""
            apiVersion: apiserver.config.k8s.io/v1
            kind: EncryptionConfiguration
            resources:
            - resources: [secrets]
              providers:
              - aesgcm:
                  keys:
                  - name: other
                    secret: {Convert.ToBase64String(new byte[32])}
              - identity: {"{}"}
            """);
        await using var restarted = ServerProcess.Start(_dataDir, "--disable-scheduler", "--encryption-provider-config", withoutTheKey);
        Assert.True(await restarted.WaitReadyAsync(_startTimeout), "the server did not come up with an undecryptable Secret:\n" + restarted.Output);
        var again = new Kubectl(Path.Combine(_dataDir, "kubeconfig.yaml"));
        var refused = await again.RunAsync("get", "secret", "db-credentials");
        var configMap = await again.RunAsync("create", "configmap", "still-works", "--from-literal=k=v");
        var newSecret = await again.RunAsync("create", "secret", "generic", "new-one", "--from-literal=k=v");
        var readNew = await again.RunAsync("get", "secret", "new-one", "-o", "jsonpath={.data.k}");

        Assert.Contains("k8s:enc:aescbc:v1:aescbckey:", firstStored, StringComparison.Ordinal);
        Assert.All(_plaintexts, p => Assert.DoesNotContain(p, firstStored, StringComparison.Ordinal));
        Assert.Equal("c3VwM3JwYXNzdzByZAo=", readAfterRotation.Stdout);
        Assert.Matches("^k8s:enc:aescbc:v1:aescbckey-[0-9T:-]+Z:", rotatedStored);
        Assert.Contains("Current Rotation Stage: reencrypt_finished", status, StringComparison.Ordinal);
        Assert.Matches(@" \*      AES-CBC   aescbckey-[0-9T:-]+Z\n$", status);
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("Error from server (InternalError): Internal error occurred: unable to transform key \"/registry/secrets/default/db-credentials\": no matching prefix found\n", refused.Stderr);
        Assert.Equal(0, configMap.ExitCode);
        Assert.Equal(0, newSecret.ExitCode);
        Assert.Equal("dg==", readNew.Stdout);
    }

    [SkippableFact]
    public async Task Etcd_SecretApplied_StoredValueEncryptedWithTheGeneratedKey()
    {
        Skip.If(ServerProcess.RepoRoot is null, "the repository's ./timonel launcher is not above the test binaries");
        Skip.If(EtcdProcess.UnavailableReason is not null, EtcdProcess.UnavailableReason);
        Skip.IfNot(Kubectl.IsInstalled, Kubectl.SkipReason);
        await using var etcd = await EtcdProcess.StartAsync();
        await using var server = ServerProcess.Start(_dataDir, "--disable-scheduler", "--datastore-endpoint", etcd.Endpoint);
        Assert.True(await server.WaitReadyAsync(_startTimeout), "the server did not become ready:\n" + server.Output);
        var kubectl = new Kubectl(Path.Combine(_dataDir, "kubeconfig.yaml"));

        (await kubectl.RunAsync("apply", "-f", Examples.File("12-secret.yaml"))).EnsureSuccess();
        var read = (await kubectl.RunAsync("get", "secret", "db-credentials", "-o", "jsonpath={.data.password}")).EnsureSuccess();
        await using var raw = new EtcdStorageBackend(etcd.Endpoint);
        var stored = Encoding.UTF8.GetString((await raw.GetAsync(SecretKey))!.Value);

        Assert.StartsWith("k8s:enc:aescbc:v1:aescbckey:", stored, StringComparison.Ordinal);
        Assert.All(_plaintexts, p => Assert.DoesNotContain(p, stored, StringComparison.Ordinal));
        Assert.Equal("c3VwM3JwYXNzdzByZAo=", read.Stdout);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    // The database and its write-ahead log as text: whatever any page or log frame holds.
    private string DatabaseText()
    {
        var database = StorageBackendFactory.DefaultSqlitePath(_dataDir);
        var text = new StringBuilder();
        foreach (var file in new[] { database, database + "-wal" }.Where(File.Exists))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.Latin1);
            text.Append(reader.ReadToEnd());
        }

        return text.ToString();
    }

    private async Task<string> SecretsEncryptAsync(ServerProcess server, string command)
    {
        var start = new ProcessStartInfo(server.Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "secrets-encrypt", command, "--data-dir", _dataDir })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"secrets-encrypt {command} => {process.ExitCode}\n{await output}\n{await error}");
        return await output;
    }
}
