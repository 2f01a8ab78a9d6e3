using Timonel.Api.Validation;

namespace Timonel.Api.Tests.Validation;

public sealed class NameValidationTests
{
    private const string SubdomainMessage = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    private const string LabelMessage = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    [Theory]
    [InlineData("a")]
    [InlineData("nginx")]
    [InlineData("my-app.example.com")]
    [InlineData("0")]
    [InlineData("a-1.b-2")]
    public void IsDns1123Subdomain_ValidNames_NoErrors(string name)
    {
        Assert.Empty(NameValidation.IsDns1123Subdomain(name));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Nginx")]
    [InlineData("-a")]
    [InlineData("a-")]
    [InlineData("a..b")]
    [InlineData("a_b")]
    [InlineData("a\n")]
    public void IsDns1123Subdomain_InvalidNames_RegexMessage(string name)
    {
        Assert.Equal([SubdomainMessage], NameValidation.IsDns1123Subdomain(name));
    }

    [Fact]
    public void IsDns1123Subdomain_TooLong_BothErrors()
    {
        var errors = NameValidation.IsDns1123Subdomain(new string('a', 254));
        Assert.Equal(["must be no more than 253 characters"], errors);
    }

    [Fact]
    public void IsDns1123Label_Dots_MustNotContainDots()
    {
        Assert.Equal(["must not contain dots"], NameValidation.IsDns1123Label("a.b"));
    }

    [Fact]
    public void IsDns1123Label_Uppercase_RegexMessageWithExamples()
    {
        var errors = NameValidation.IsDns1123Label("ABC");
        // Upstream's RegexError really joins examples with "',  or '" (two spaces).
        Assert.Equal([LabelMessage], errors);
    }

    [Theory]
    [InlineData("abc", 0)]
    [InlineData("1abc", 1)]
    [InlineData("my-svc", 0)]
    [InlineData("My-svc", 1)]
    public void IsDns1035Label_Table(string name, int errorCount)
    {
        Assert.Equal(errorCount, NameValidation.IsDns1035Label(name).Count);
    }

    [Theory]
    [InlineData("app")]
    [InlineData("app.kubernetes.io/name")]
    [InlineData("MyName")]
    [InlineData("my_name.x-1")]
    [InlineData("k8s.io/a")]
    public void IsQualifiedName_Valid_NoErrors(string key)
    {
        Assert.Empty(NameValidation.IsQualifiedName(key));
    }

    [Theory]
    [InlineData("/a", "prefix part must be non-empty")]
    [InlineData("a/", "name part must be non-empty")]
    [InlineData("Example.com/a", "prefix part a lowercase RFC 1123 subdomain must consist of")]
    [InlineData("a/b/c", "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')")]
    [InlineData("-a", "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")]
    public void IsQualifiedName_Invalid_UpstreamMessage(string key, string messageStart)
    {
        var errors = NameValidation.IsQualifiedName(key);
        Assert.Contains(errors, e => e.StartsWith(messageStart, StringComparison.Ordinal));
    }

    [Fact]
    public void IsQualifiedName_NameTooLong_MaxLenMessage()
    {
        Assert.Equal(["name part must be no more than 63 characters"], NameValidation.IsQualifiedName(new string('a', 64)));
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("v1.2_3-x", 0)]
    [InlineData("-x", 1)]
    [InlineData("a b", 1)]
    public void IsValidLabelValue_Table(string value, int errorCount)
    {
        Assert.Equal(errorCount, NameValidation.IsValidLabelValue(value).Count);
    }

    [Fact]
    public void IsValidLabelValue_Invalid_UpstreamMessage()
    {
        Assert.Equal(
            ["a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"],
            NameValidation.IsValidLabelValue("bad value"));
    }

    [Theory]
    [InlineData("http", 0)]
    [InlineData("web-8080", 0)]
    [InlineData("8080", 1)]
    [InlineData("a--b", 1)]
    [InlineData("-ab", 1)]
    [InlineData("abcdefghijklmnop", 1)]
    public void IsValidPortName_Table(string name, int errorCount)
    {
        Assert.Equal(errorCount, NameValidation.IsValidPortName(name).Count);
    }

    [Theory]
    [InlineData("web-", true, 0)]
    [InlineData("web-", false, 1)]
    public void NameIsDnsSubdomain_GenerateNamePrefix_AllowsTrailingDash(string name, bool prefix, int errorCount)
    {
        Assert.Equal(errorCount, NameValidation.NameIsDnsSubdomain(name, prefix).Count);
    }

    [Theory]
    [InlineData("key.name", 0)]
    [InlineData("..x", 1)]
    [InlineData("a b", 1)]
    public void IsConfigMapKey_Table(string key, int errorCount)
    {
        Assert.Equal(errorCount, NameValidation.IsConfigMapKey(key).Count);
    }
}
