using Timonel.Kustomize.Yaml;

namespace Timonel.Kustomize.Tests;

public sealed class YamlWriterTests
{
    [Theory]
    [InlineData("a: yes\n", "a: \"yes\"\n")]
    [InlineData("a: '123'\n", "a: \"123\"\n")]
    [InlineData("a: '#x'\n", "a: '#x'\n")]
    [InlineData("a: \"it's\"\n", "a: it's\n")]
    [InlineData("a: 0x1F\n", "a: 31\n")]
    [InlineData("a: 1.0\n", "a: 1\n")]
    [InlineData("a: 123456789.5\n", "a: 1.234567895e+08\n")]
    [InlineData("a: \"x\\ty\"\n", "a: \"x\\ty\"\n")]
    [InlineData("a: |\n  l1\n  l2\n", "a: |\n  l1\n  l2\n")]
    [InlineData("b: [x]\na: {}\n", "a: {}\nb:\n- x\n")]
    public void Write_Scalar_FormatsAsKustomize(string input, string expected) =>
        Assert.Equal(expected, YamlWriter.Write(YamlReader.ReadOne(input)!));

    [Fact]
    public void Compare_Keys_UsesGoYamlNaturalOrder()
    {
        var keys = new List<string> { "a10", "aB", "a9", "a_b", "A1", "10", "9", "a-b" };
        keys.Sort(GoKeyComparer.Instance);
        Assert.Equal(["9", "10", "A1", "a-b", "a_b", "a9", "a10", "aB"], keys);
    }
}
