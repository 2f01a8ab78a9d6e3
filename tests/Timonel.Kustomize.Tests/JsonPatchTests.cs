using Timonel.Kustomize.Patching;
using Timonel.Kustomize.Yaml;

namespace Timonel.Kustomize.Tests;

public sealed class JsonPatchTests
{
    private static string Apply(string doc, string ops) =>
        YamlWriter.Write(JsonPatch.Apply(YamlReader.ReadOne(doc)!, (YSeq)YamlReader.ReadOne(ops)!));

    [Theory]
    [InlineData("a: 1\n", "- {op: add, path: /b, value: 2}\n", "a: 1\nb: 2\n")]
    [InlineData("l: [1, 3]\n", "- {op: add, path: /l/1, value: 2}\n", "l:\n- 1\n- 2\n- 3\n")]
    [InlineData("l: [1]\n", "- {op: add, path: /l/-, value: 2}\n", "l:\n- 1\n- 2\n")]
    [InlineData("a: 1\nb: 2\n", "- {op: remove, path: /a}\n", "b: 2\n")]
    [InlineData("a: 1\n", "- {op: replace, path: /a, value: x}\n", "a: x\n")]
    [InlineData("a: {x: 1}\n", "- {op: move, from: /a/x, path: /b}\n", "a: {}\nb: 1\n")]
    [InlineData("a: {x: 1}\n", "- {op: copy, from: /a, path: /b}\n", "a:\n  x: 1\nb:\n  x: 1\n")]
    [InlineData("a/b: 1\nc~d: 2\n", "- {op: remove, path: /a~1b}\n- {op: replace, path: /c~0d, value: 3}\n", "c~d: 3\n")]
    [InlineData("a: 1\n", "- {op: test, path: /a, value: 1}\n", "a: 1\n")]
    public void Apply_Operation_ProducesExpectedDocument(string doc, string ops, string expected) =>
        Assert.Equal(expected, Apply(doc, ops));

    [Fact]
    public void Apply_TestFails_Throws() =>
        Assert.Throws<KustomizeException>(() => Apply("a: 1\n", "- {op: test, path: /a, value: 2}\n"));

    [Fact]
    public void Apply_RemoveMissingPath_Throws() =>
        Assert.Throws<KustomizeException>(() => Apply("a: 1\n", "- {op: remove, path: /b}\n"));
}
