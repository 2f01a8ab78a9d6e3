using System.Text;
using Timonel.Storage.Encryption;
using Timonel.Storage.Memory;
using static Timonel.Storage.Tests.Encryption.PrefixTransformersTests;

namespace Timonel.Storage.Tests.Encryption;

public sealed class EncryptingStorageBackendTests : IAsyncDisposable
{
    private const string Secrets = "/registry/secrets/";
    private readonly MemoryStorageBackend _raw = new();

    [Fact]
    public async Task CreateAsync_Secret_StoredEncryptedWithPrefix()
    {
        var store = Store(Cbc("key1", 1), PrefixTransformer.Identity);

        var created = await store.CreateAsync(Secrets + "ns/a", Value("{\"data\":\"hunter2\"}"));

        var stored = Encoding.UTF8.GetString((await _raw.GetAsync(Secrets + "ns/a"))!.Value);
        Assert.StartsWith("k8s:enc:aescbc:v1:key1:", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", stored, StringComparison.Ordinal);
        Assert.Equal("{\"data\":\"hunter2\"}", Text(created.Current!));
        Assert.Equal("{\"data\":\"hunter2\"}", Text((await store.GetAsync(Secrets + "ns/a"))!));
    }

    [Fact]
    public async Task CreateAsync_OtherResource_StoredAsIs()
    {
        var store = Store(Cbc("key1", 1));

        await store.CreateAsync("/registry/configmaps/ns/a", Value("{}"));

        Assert.Equal("{}", Text((await _raw.GetAsync("/registry/configmaps/ns/a"))!));
    }

    [Fact]
    public async Task ListAsync_MixedKeys_EveryValueDecrypted()
    {
        var store = Store(Cbc("key1", 1), PrefixTransformer.Identity);
        await _raw.CreateAsync(Secrets + "ns/a", Value("{\"old\":\"plaintext\"}"));
        await store.CreateAsync(Secrets + "ns/b", Value("{\"b\":1}"));
        await store.CreateAsync("/registry/pods/ns/p", Value("{\"p\":1}"));

        var page = await store.ListAsync("/registry/", ListOptions.Latest);

        Assert.Equal(["{\"p\":1}", "{\"old\":\"plaintext\"}", "{\"b\":1}"], page.Items.Select(Text));
    }

    [Fact]
    public async Task WatchAsync_UpdateAndDelete_CurrentAndPreviousDecrypted()
    {
        var store = Store(Gcm("key1", 1));
        var created = await store.CreateAsync(Secrets + "ns/a", Value("{\"v\":1}"));
        await using var watch = new WatchReader(store, Secrets, created.Revision);

        await store.UpdateAsync(Secrets + "ns/a", Value("{\"v\":2}"), created.Revision);
        await store.DeleteAsync(Secrets + "ns/a", 0);

        var updated = await watch.NextAsync();
        var deleted = await watch.NextAsync();
        Assert.Equal(("{\"v\":2}", "{\"v\":1}"), (Text(updated.Current), Text(updated.Previous!)));
        Assert.Equal((WatchEventType.Delete, "{\"v\":2}"), (deleted.Type, Text(deleted.Previous!)));
    }

    [Fact]
    public async Task GetAsync_KeyNoLongerConfigured_FailurePlaceholderWithUpstreamMessage()
    {
        await Store(Cbc("gone", 1)).CreateAsync(Secrets + "ns/a", Value("{\"data\":\"hunter2\"}"));
        var store = Store(Cbc("key2", 2), PrefixTransformer.Identity);

        var read = await store.GetAsync(Secrets + "ns/a");

        Assert.Equal("unable to transform key \"/registry/secrets/ns/a\": no matching prefix found", TransformFailure.ErrorOf(read!.Value));
        Assert.DoesNotContain("hunter2", Text(read), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListAsync_OneUndecryptable_OthersStillRead()
    {
        await Store(Cbc("gone", 1)).CreateAsync(Secrets + "ns/a", Value("{}"));
        var store = Store(Cbc("key2", 2));
        await store.CreateAsync(Secrets + "ns/b", Value("{\"b\":1}"));

        var page = await store.ListAsync(Secrets, ListOptions.Latest);

        Assert.NotNull(TransformFailure.ErrorOf(page.Items[0].Value));
        Assert.Equal("{\"b\":1}", Text(page.Items[1]));
    }

    [Fact]
    public async Task GetAsync_CiphertextUnderUnconfiguredResource_IdentityRefusal()
    {
        await Store(Cbc("key1", 1)).CreateAsync(Secrets + "ns/a", Value("{}"));

        var read = await new EncryptingStorageBackend(_raw, EncryptionTransformers.None).GetAsync(Secrets + "ns/a");

        Assert.Equal("unable to transform key \"/registry/secrets/ns/a\": identity transformer tried to read encrypted data", TransformFailure.ErrorOf(read!.Value));
    }

    [Fact]
    public async Task UpdateAsync_StaleRevision_CurrentValueDecrypted()
    {
        var store = Store(Cbc("key1", 1));
        var created = await store.CreateAsync(Secrets + "ns/a", Value("{\"v\":1}"));
        await store.UpdateAsync(Secrets + "ns/a", Value("{\"v\":2}"), created.Revision);

        var conflict = await store.UpdateAsync(Secrets + "ns/a", Value("{\"v\":3}"), created.Revision);

        Assert.False(conflict.Succeeded);
        Assert.Equal("{\"v\":2}", Text(conflict.Current!));
    }

    [Fact]
    public async Task Transformers_Replaced_NewWritesUseNewKeyOldValuesStillRead()
    {
        var store = Store(Cbc("key1", 1));
        await store.CreateAsync(Secrets + "ns/a", Value("{\"a\":1}"));

        store.Transformers = Transformers(Cbc("key2", 2), Cbc("key1", 1));
        await store.CreateAsync(Secrets + "ns/b", Value("{\"b\":1}"));

        Assert.StartsWith("k8s:enc:aescbc:v1:key2:", Text((await _raw.GetAsync(Secrets + "ns/b"))!), StringComparison.Ordinal);
        Assert.Equal("{\"a\":1}", Text((await store.GetAsync(Secrets + "ns/a"))!));
    }

    [Fact]
    public async Task ReencryptAsync_AfterRotation_EveryValueUnderTheWriteKey()
    {
        var store = Store(Cbc("key1", 1), PrefixTransformer.Identity);
        await _raw.CreateAsync(Secrets + "ns/plain", Value("{\"p\":1}"));
        for (var i = 0; i < 2_500; i++)
        {
            await store.CreateAsync($"{Secrets}ns/s{i:D4}", Value($"{{\"i\":{i}}}"));
        }

        store.Transformers = Transformers(Cbc("key2", 2), Cbc("key1", 1), PrefixTransformer.Identity);
        await store.CreateAsync(Secrets + "ns/z", Value("{}"));
        var result = await Reencryptor.ReencryptAsync(store, CancellationToken.None);

        Assert.Equal((2_501L, 1L, 0), (result.Rewritten, result.Current, result.Failures.Count));
        var raw = await _raw.ListAsync(Secrets, ListOptions.Latest);
        Assert.All(raw.Items, kv => Assert.StartsWith("k8s:enc:aescbc:v1:key2:", Text(kv), StringComparison.Ordinal));
        store.Transformers = Transformers(Cbc("key2", 2));
        Assert.Equal("{\"i\":1234}", Text((await store.GetAsync(Secrets + "ns/s1234"))!));
        Assert.Equal("{\"p\":1}", Text((await store.GetAsync(Secrets + "ns/plain"))!));
    }

    [Fact]
    public async Task ReencryptAsync_UndecryptableValue_ReportedAndLeftAlone()
    {
        await Store(Cbc("gone", 1)).CreateAsync(Secrets + "ns/a", Value("{}"));
        var before = (await _raw.GetAsync(Secrets + "ns/a"))!;
        var store = Store(Cbc("key2", 2));

        var result = await Reencryptor.ReencryptAsync(store, CancellationToken.None);

        Assert.Equal(["unable to transform key \"/registry/secrets/ns/a\": no matching prefix found"], result.Failures);
        Assert.Equal(before, await _raw.GetAsync(Secrets + "ns/a"));
    }

    public ValueTask DisposeAsync() => _raw.DisposeAsync();

    private EncryptingStorageBackend Store(params PrefixTransformer[] providers) => new(_raw, Transformers(providers));

    private static EncryptionTransformers Transformers(params PrefixTransformer[] providers) => new([new ResourceTransformers(Secrets, Providers(providers))]);

    private static byte[] Value(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(KeyValue kv) => Encoding.UTF8.GetString(kv.Value);
}
