using System.Text;
using Timonel.Storage.Encryption;

namespace Timonel.Storage.Tests.Encryption;

public sealed class PrefixTransformersTests
{
    private const string Key = "/registry/secrets/default/s";

    [Fact]
    public void ToStorage_FirstProvider_PrefixNamesProviderAndKey()
    {
        var providers = Providers(Cbc("key1", 1), Cbc("key2", 2), PrefixTransformer.Identity);

        var stored = providers.ToStorage("{}"u8, Key);

        Assert.StartsWith("k8s:enc:aescbc:v1:key1:", Encoding.UTF8.GetString(stored), StringComparison.Ordinal);
        var (value, stale) = providers.FromStorage(stored, Key);
        Assert.Equal("{}"u8.ToArray(), value);
        Assert.False(stale);
    }

    [Fact]
    public void FromStorage_OlderKey_ReadableAndStale()
    {
        var stored = Providers(Cbc("key1", 1)).ToStorage("{}"u8, Key);

        var (value, stale) = Providers(Cbc("key2", 2), Cbc("key1", 1)).FromStorage(stored, Key);

        Assert.Equal("{}"u8.ToArray(), value);
        Assert.True(stale);
    }

    [Fact]
    public void FromStorage_PlaintextWithIdentityLast_ReadAsIs()
    {
        var (value, stale) = Providers(Cbc("key1", 1), PrefixTransformer.Identity).FromStorage("{\"a\":1}"u8, Key);

        Assert.Equal("{\"a\":1}"u8.ToArray(), value);
        Assert.True(stale);
    }

    [Fact]
    public void FromStorage_KeyNotConfigured_NoMatchingPrefix()
    {
        var stored = Providers(Cbc("gone", 1)).ToStorage("{}"u8, Key);

        var error = Assert.Throws<ValueTransformException>(() => Providers(Cbc("key2", 2), PrefixTransformer.Identity).FromStorage(stored, Key));

        Assert.Equal("no matching prefix found", error.Message);
    }

    [Fact]
    public void FromStorage_SameNameOtherSecret_ProviderError()
    {
        var stored = Providers(Gcm("key1", 1)).ToStorage("{}"u8, Key);

        var error = Assert.Throws<ValueTransformException>(() => Providers(Gcm("key1", 2), PrefixTransformer.Identity).FromStorage(stored, Key));

        Assert.Equal("cipher: message authentication failed", error.Message);
    }

    [Fact]
    public void IsCurrent_WriteKeyOrNot()
    {
        var providers = Providers(Cbc("key2", 2), Cbc("key1", 1), PrefixTransformer.Identity);

        Assert.True(providers.IsCurrent(providers.ToStorage("{}"u8, Key)));
        Assert.False(providers.IsCurrent(Providers(Cbc("key1", 1)).ToStorage("{}"u8, Key)));
        Assert.False(providers.IsCurrent("{}"u8));
        Assert.True(Providers(PrefixTransformer.Identity).IsCurrent("{}"u8));
    }

    internal static PrefixTransformers Providers(params PrefixTransformer[] transformers) => new(transformers);

    internal static PrefixTransformer Cbc(string name, byte seed) => new("aescbc", name, new AesCbcTransformer(Secret(seed)));

    internal static PrefixTransformer Gcm(string name, byte seed) => new("aesgcm", name, new AesGcmTransformer(Secret(seed)));

    private static byte[] Secret(byte seed) => Enumerable.Repeat(seed, 32).ToArray();
}
