using Timonel.Kustomize.Patching;
using Timonel.Kustomize.Yaml;

namespace Timonel.Kustomize.Tests;

public sealed class StrategicMergePatchTests
{
    private static YMap Parse(string yaml) => (YMap)YamlReader.ReadOne(yaml)!;

    private static string Apply(string target, string patch)
    {
        var result = StrategicMergePatch.Apply(Parse(target), Parse(patch));
        return result is null ? "<deleted>" : YamlWriter.Write(result);
    }

    [Fact]
    public void Apply_NestedMaps_MergesFieldByField() =>
        Assert.Equal("a:\n  b: 1\n  c: 3\nd: 4\n", Apply("a: {b: 1, c: 2}\nd: 4\n", "a: {c: 3}\n"));

    [Fact]
    public void Apply_NullValue_DeletesField() =>
        Assert.Equal("a: 1\n", Apply("a: 1\nb: 2\n", "b: null\n"));

    [Fact]
    public void Apply_ContainersByName_PatchElementsFirstThenRest() =>
        Assert.Equal(
            "containers:\n- image: new\n  name: b\n- image: x\n  name: c\n- image: a\n  name: a\n",
            Apply("containers:\n- name: a\n  image: a\n- name: b\n  image: b\n", "containers:\n- name: b\n  image: new\n- name: c\n  image: x\n"));

    [Fact]
    public void Apply_DeleteDirectiveInList_RemovesElement() =>
        Assert.Equal("containers:\n- name: a\n", Apply("containers:\n- name: a\n- name: b\n", "containers:\n- name: b\n  $patch: delete\n"));

    [Fact]
    public void Apply_ReplaceDirectiveInList_ReplacesWholeList() =>
        Assert.Equal("volumes:\n- name: z\n", Apply("volumes:\n- name: a\n- name: b\n", "volumes:\n- $patch: replace\n- name: z\n"));

    [Fact]
    public void Apply_ReplaceDirectiveInMap_ReplacesMap() =>
        Assert.Equal("spec:\n  x: 1\n", Apply("spec:\n  y: 2\n  z: 3\n", "spec:\n  $patch: replace\n  x: 1\n"));

    [Fact]
    public void Apply_ListWithoutMergeKey_IsReplaced() =>
        Assert.Equal("args:\n- c\n", Apply("args: [a, b]\n", "args: [c]\n"));

    [Fact]
    public void Apply_DeleteDirectiveAtTop_DeletesObject() =>
        Assert.Equal("<deleted>", Apply("a: 1\n", "$patch: delete\n"));
}
