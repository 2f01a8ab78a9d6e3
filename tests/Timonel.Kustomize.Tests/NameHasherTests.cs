using Timonel.Kustomize.Generators;
using Timonel.Kustomize.Yaml;

namespace Timonel.Kustomize.Tests;

public sealed class NameHasherTests
{
    private static YMap Parse(string yaml) => (YMap)YamlReader.ReadOne(yaml)!;

    [Fact]
    public void Hash_SecretFromExample_MatchesKustomize()
    {
        // The secret kustomize generates for examples/kustomize is named db-credentials-4hdd8922h7.
        var secret = Parse("apiVersion: v1\nkind: Secret\nmetadata:\n  name: db-credentials\ntype: Opaque\ndata:\n  password: c2VjcjN0cGFzc3cwcmQh\n  username: YWRtaW4=\n");
        Assert.Equal("4hdd8922h7", NameHasher.Hash(secret));
    }

    [Fact]
    public void Hash_NameChange_DoesNotChangeHash()
    {
        var a = Parse("kind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n");
        var b = Parse("kind: ConfigMap\nmetadata:\n  name: b\ndata:\n  k: v\n");
        Assert.Equal(NameHasher.Hash(a), NameHasher.Hash(b));
    }

    [Fact]
    public void Hash_DataChange_ChangesHash()
    {
        var a = Parse("kind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n");
        var b = Parse("kind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: w\n");
        Assert.NotEqual(NameHasher.Hash(a), NameHasher.Hash(b));
    }

    [Theory]
    [InlineData("0123456789abcdef", "gh2k456789")]
    [InlineData("a1e3b00000", "mhtkbggggg")]
    [InlineData("eeeeeeeeeeee", "tttttttttt")]
    public void Encode_HexDigits_SwapsConfusableCharacters(string hex, string expected) =>
        Assert.Equal(expected, NameHasher.Encode(hex));

    [Theory]
    [InlineData("a<b>&c", "\"a\\u003cb\\u003e\\u0026c\"")]
    [InlineData("line\nnext\t\"q\"", "\"line\\nnext\\t\\\"q\\\"\"")]
    public void Quote_SpecialCharacters_EscapedAsGoJson(string input, string expected) =>
        Assert.Equal(expected, NameHasher.Quote(input));
}
