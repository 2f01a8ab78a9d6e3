using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Timonel.ApiServer.Encryption;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Registry;
using Timonel.Storage;
using Timonel.Storage.Memory;

namespace Timonel.ApiServer.Tests.Encryption;

public sealed class SecretsEncryptionTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("timonel-enc-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero));
    private readonly MemoryStorageBackend _raw = new();

    [Fact]
    public void Open_FirstStart_WritesPrivateConfigAescbcThenIdentity()
    {
        using var encryption = SecretsEncryption.Open(_dataDir, enabled: true, configFile: null, _time);

        var path = SecretsEncryption.DefaultConfigPath(_dataDir);
        var entry = Assert.Single(EncryptionConfiguration.Load(path).Resources);
        Assert.Equal(["secrets"], entry.Resources);
        Assert.Equal(["aescbc", "identity"], entry.Providers.Select(p => p.Type));
        Assert.Equal(32, Convert.FromBase64String(entry.Providers[0].Keys[0].Secret).Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public async Task Open_SecondStart_SameKeyReadsWhatTheFirstWrote()
    {
        using (var first = SecretsEncryption.Open(_dataDir, enabled: true, configFile: null, _time))
        {
            await first.Wrap(_raw).CreateAsync("/registry/secrets/ns/a", "{\"a\":1}"u8.ToArray());
        }

        using var second = SecretsEncryption.Open(_dataDir, enabled: true, configFile: null, _time);

        Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString((await second.Wrap(_raw).GetAsync("/registry/secrets/ns/a"))!.Value));
    }

    [Fact]
    public async Task Open_Disabled_WritesPlaintextStillReadsEncrypted()
    {
        using (var enabled = SecretsEncryption.Open(_dataDir, enabled: true, configFile: null, _time))
        {
            await enabled.Wrap(_raw).CreateAsync("/registry/secrets/ns/a", "{\"a\":1}"u8.ToArray());
        }

        using var disabled = SecretsEncryption.Open(_dataDir, enabled: false, configFile: null, _time);
        var store = disabled.Wrap(_raw);
        await store.CreateAsync("/registry/secrets/ns/b", "{\"b\":1}"u8.ToArray());

        Assert.Equal("{\"b\":1}", Encoding.UTF8.GetString((await _raw.GetAsync("/registry/secrets/ns/b"))!.Value));
        Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString((await store.GetAsync("/registry/secrets/ns/a"))!.Value));
        Assert.Equal((false, "Identity"), (disabled.Status().Enabled, disabled.Status().Keys[0].Type));
    }

    [Fact]
    public async Task ApplyAsync_PrepareRotateReencrypt_NewKeyWritesOldKeyDropped()
    {
        using var encryption = SecretsEncryption.Open(_dataDir, enabled: true, configFile: null, _time);
        var store = encryption.Wrap(_raw);
        await store.CreateAsync("/registry/secrets/ns/a", "{\"a\":1}"u8.ToArray());

        var prepared = await encryption.ApplyAsync("prepare", force: false, CancellationToken.None);
        var rotated = await encryption.ApplyAsync("rotate", force: false, CancellationToken.None);
        await store.CreateAsync("/registry/secrets/ns/b", "{\"b\":1}"u8.ToArray());
        var reencrypted = await encryption.ApplyAsync("reencrypt", force: false, CancellationToken.None);

        const string newKey = "aescbckey-2026-12-06T10:00:00Z";
        Assert.Equal([(true, "aescbckey"), (false, newKey)], prepared.Keys.Select(k => (k.Active, k.Name)));
        Assert.Equal([(true, newKey), (false, "aescbckey")], rotated.Keys.Select(k => (k.Active, k.Name)));
        Assert.Equal((EncryptionStage.ReencryptFinished, "reencryption finished: 1 rewritten, 1 already current"), (reencrypted.Stage, reencrypted.Message));
        Assert.Equal([(true, newKey)], reencrypted.Keys.Select(k => (k.Active, k.Name)));
        var raw = await _raw.ListAsync("/registry/secrets/", ListOptions.Latest);
        Assert.All(raw.Items, kv => Assert.StartsWith($"k8s:enc:aescbc:v1:{newKey}:", Encoding.UTF8.GetString(kv.Value), StringComparison.Ordinal));
        using var restarted = SecretsEncryption.Open(_dataDir, enabled: true, configFile: null, _time);
        Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString((await restarted.Wrap(_raw).GetAsync("/registry/secrets/ns/a"))!.Value));
        Assert.Equal(EncryptionStage.ReencryptFinished, restarted.Status().Stage);
    }

    [Fact]
    public async Task ApplyAsync_RotateBeforePrepare_RefusedUnlessForced()
    {
        using var encryption = SecretsEncryption.Open(_dataDir, enabled: true, configFile: null, _time);
        encryption.Wrap(_raw);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => encryption.ApplyAsync("rotate", force: false, CancellationToken.None));

        Assert.Equal("error, incorrect stage: rotate needs stage prepare, the current stage is start (--force skips this check)", error.Message);
        Assert.Equal(EncryptionStage.Rotate, (await encryption.ApplyAsync("rotate", force: true, CancellationToken.None)).Stage);
    }

    [Fact]
    public async Task ApplyAsync_UserConfigFile_Refused()
    {
        var file = Path.Combine(_dataDir, "mine.yaml");
        File.WriteAllText(file, $$$"""{"kind":"EncryptionConfiguration","apiVersion":"apiserver.config.k8s.io/v1","resources":[{"resources":["secrets"],"providers":[{"aesgcm":{"keys":[{"name":"k","secret":"{{{Convert.ToBase64String(new byte[32])}}}"}]}}]}]}""");
        using var encryption = SecretsEncryption.Open(_dataDir, enabled: true, file, _time);
        encryption.Wrap(_raw);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => encryption.ApplyAsync("prepare", force: false, CancellationToken.None));

        Assert.Contains("--encryption-provider-config", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(SecretsEncryption.DefaultConfigPath(_dataDir)));
    }

    [Fact]
    public async Task Store_SecretUnderMissingKey_InternalErrorForItOthersServed()
    {
        using (var first = SecretsEncryption.Open(_dataDir, enabled: true, configFile: null, _time))
        {
            var old = first.Wrap(_raw);
            await old.CreateAsync("/registry/secrets/default/lost", Encoding.UTF8.GetBytes("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"lost","namespace":"default"}}"""));
        }

        var withoutTheKey = Path.Combine(_dataDir, "other.json");
        File.WriteAllText(withoutTheKey, $$$"""{"kind":"EncryptionConfiguration","apiVersion":"apiserver.config.k8s.io/v1","resources":[{"resources":["secrets"],"providers":[{"aescbc":{"keys":[{"name":"other","secret":"{{{Convert.ToBase64String(new byte[32])}}}"}]}},{"identity":{}}]}]}""");
        using var second = SecretsEncryption.Open(_dataDir, enabled: true, withoutTheKey, _time);
        await using var harness = await StoreHarness.StartAsync(second.Wrap(_raw));
        var secrets = harness.Store("", "secrets");
        await secrets.CreateAsync("default", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "kept" }, ["data"] = new JsonObject { ["k"] = "dg==" } }, dryRun: false, CancellationToken.None);
        await harness.Store("", "configmaps").CreateAsync("default", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "c" } }, dryRun: false, CancellationToken.None);

        var get = await Assert.ThrowsAsync<StatusException>(() => secrets.GetAsync("default", "lost", CancellationToken.None));
        var list = await Assert.ThrowsAsync<StatusException>(() => secrets.ListAsync("default", ListQuery.All, CancellationToken.None));

        Assert.Equal((500, "Internal error occurred: unable to transform key \"/registry/secrets/default/lost\": no matching prefix found"), (get.Code, get.Message));
        Assert.Equal(get.Message, list.Message);
        Assert.Equal("dg==", (await secrets.GetAsync("default", "kept", CancellationToken.None))["data"]!["k"]!.ToString());
        Assert.Equal("c", (await harness.Store("", "configmaps").GetAsync("default", "c", CancellationToken.None))["metadata"]!["name"]!.ToString());
    }

    public void Dispose()
    {
        _raw.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_dataDir, recursive: true);
    }
}
