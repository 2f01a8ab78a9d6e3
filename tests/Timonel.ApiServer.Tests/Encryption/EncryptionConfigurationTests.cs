using System.Text;
using Timonel.ApiServer.Encryption;
using Timonel.Storage.Encryption;

namespace Timonel.ApiServer.Tests.Encryption;

public sealed class EncryptionConfigurationTests
{
    private static readonly string _key32 = Convert.ToBase64String(Enumerable.Repeat((byte)7, 32).ToArray());

    [Fact]
    public void Parse_UpstreamYamlExample_ProvidersInOrder()
    {
        // The shape of the example in the Kubernetes docs ("Encrypting Confidential Data at Rest").
        var configuration = EncryptionConfiguration.Parse($"""
            apiVersion: apiserver.config.k8s.io/v1
            kind: EncryptionConfiguration
            resources:
              - resources:
                  - secrets
                  - configmaps
                providers:
                  - aesgcm:
                      keys:
                        - name: key1
                          secret: {_key32}
                  - aescbc:
                      keys:
                        - name: key2
                          secret: {_key32}
                  - secretbox:
                      keys:
                        - name: key3
                          secret: {_key32}
                  - identity: {"{}"}
            """);

        var entry = Assert.Single(configuration.Resources);
        Assert.Equal(["secrets", "configmaps"], entry.Resources);
        Assert.Equal(["aesgcm", "aescbc", "secretbox", "identity"], entry.Providers.Select(p => p.Type));
        Assert.Equal("key2", entry.Providers[1].Keys[0].Name);
    }

    [Fact]
    public void ToJson_ParsedBack_SameConfiguration()
    {
        var configuration = new EncryptionConfiguration([new EncryptionResources(["secrets"], [new EncryptionProvider("aescbc", [new EncryptionKey("aescbckey-2026-01-01T00:00:00Z", _key32)]), EncryptionProvider.IdentityProvider])]);

        var json = configuration.ToJson();
        var parsed = EncryptionConfiguration.Parse(json);

        Assert.StartsWith("{\"kind\":\"EncryptionConfiguration\",\"apiVersion\":\"apiserver.config.k8s.io/v1\"", json, StringComparison.Ordinal);
        Assert.Equal(configuration.ToJson(), parsed.ToJson());
    }

    [Theory]
    [InlineData("aescbc", 8, "resources[0].providers[0].aescbc.keys[0].secret: Invalid value: \"REDACTED\": secret is not of the expected length, got 8, expected one of [16 24 32]")]
    [InlineData("secretbox", 16, "resources[0].providers[0].secretbox.keys[0].secret: Invalid value: \"REDACTED\": secret is not of the expected length, got 16, expected one of [32]")]
    public void Parse_WrongKeyLength_UpstreamError(string provider, int length, string error)
    {
        var secret = Convert.ToBase64String(new byte[length]);

        var ex = Assert.Throws<InvalidDataException>(() => EncryptionConfiguration.Parse($$$"""{"kind":"EncryptionConfiguration","apiVersion":"apiserver.config.k8s.io/v1","resources":[{"resources":["secrets"],"providers":[{"{{{provider}}}":{"keys":[{"name":"k","secret":"{{{secret}}}"}]}}]}]}"""));

        Assert.Equal(error, ex.Message);
    }

    [Theory]
    [InlineData("""{"kind":"EncryptionConfiguration","apiVersion":"apiserver.config.k8s.io/v1","resources":[{"resources":["secrets"],"providers":[{"identity":{},"aescbc":{}}]}]}""", "more than one provider specified in a single element")]
    [InlineData("""{"kind":"EncryptionConfiguration","apiVersion":"apiserver.config.k8s.io/v1","resources":[{"resources":["secrets"],"providers":[{"aescbc":{"keys":[]}}]}]}""", "resources[0].providers[0].aescbc.keys: Required value")]
    [InlineData("""{"kind":"EncryptionConfiguration","apiVersion":"apiserver.config.k8s.io/v1","resources":[{"resources":["secrets"],"providers":[]}]}""", "resources[0].providers: Required value")]
    [InlineData("""{"kind":"EncryptionConfiguration","apiVersion":"apiserver.config.k8s.io/v1","resources":[{"resources":["secrets"],"providers":[{"aescbc":{"keys":[{"name":"k","secret":"not base64!"}]}}]}]}""", "secrets must be base64 encoded")]
    [InlineData("""{"kind":"Config","apiVersion":"v1"}""", "no kind \"Config\" is registered for version \"v1\"")]
    public void Parse_Invalid_SaysWhat(string text, string error)
    {
        Assert.Contains(error, Assert.Throws<InvalidDataException>(() => EncryptionConfiguration.Parse(text)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("secrets", "/registry/secrets/")]
    [InlineData("deployments.apps", "/registry/apps/deployments/")]
    [InlineData("*.apps", "/registry/apps/")]
    [InlineData("*.*", "/registry/")]
    public void KeyPrefix_Resource_WhereItsObjectsAreStored(string resource, string prefix)
    {
        Assert.Equal(prefix, EncryptionConfiguration.KeyPrefix(resource));
    }

    [Fact]
    public void Compile_SecretsOnly_SecretsEncryptedOthersNot()
    {
        var transformers = EncryptionConfiguration.Parse($$$"""{"kind":"EncryptionConfiguration","apiVersion":"apiserver.config.k8s.io/v1","resources":[{"resources":["secrets"],"providers":[{"secretbox":{"keys":[{"name":"k","secret":"{{{_key32}}}"}]}},{"identity":{}}]}]}""").Compile();

        var stored = transformers.For("/registry/secrets/ns/a")!.ToStorage("{}"u8, "/registry/secrets/ns/a");

        Assert.StartsWith("k8s:enc:secretbox:v1:k:", Encoding.UTF8.GetString(stored), StringComparison.Ordinal);
        Assert.Null(transformers.For("/registry/configmaps/ns/a"));
        Assert.Equal(2, transformers.For("/registry/secrets/ns/a")!.Transformers.Count);
        Assert.Same(PrefixTransformer.Identity, transformers.For("/registry/secrets/x")!.Transformers[1]);
    }
}
