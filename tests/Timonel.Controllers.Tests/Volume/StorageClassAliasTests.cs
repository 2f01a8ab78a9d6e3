using Timonel.Controllers.Volume;

namespace Timonel.Controllers.Tests.Volume;

public sealed class StorageClassAliasTests
{
    [Fact]
    public void Parse_NameEqualsClass_GivesTheAlias() =>
        Assert.Equal(new StorageClassAlias("premium-rwo", "local-path"), StorageClassAlias.Parse("premium-rwo=local-path"));

    [Theory]
    [InlineData("premium")]
    [InlineData("=local-path")]
    [InlineData("Premium=local-path")]
    [InlineData("premium=")]
    public void Parse_NotNameEqualsClass_IsRefusedWithTheExpectedForm(string text)
    {
        var error = Assert.Throws<FormatException>(() => StorageClassAlias.Parse(text));

        Assert.Equal($"invalid argument \"{text}\" for \"--storage-class-alias\" flag: expected NAME=CLASS, both StorageClass names (lower case alphanumeric characters, '-' or '.')", error.Message);
    }

    [Fact]
    public void Parse_ClassAliasOfItself_IsRefused() =>
        Assert.Contains("a class cannot be an alias of itself", Assert.Throws<FormatException>(() => StorageClassAlias.Parse("gp2=gp2")).Message);
}
