using Timonel.Api.Validation;

namespace Timonel.Api.Tests.Validation;

/// <summary>IP, CIDR and domain checks parse as Kubernetes' ParseIPSloppy and ParseCIDRSloppy do and answer upstream's texts.</summary>
public sealed class NetworkValidationTests
{
    private static readonly FieldPath _path = FieldPath.Root("ip");

    [Theory]
    [InlineData("10.0.0.1", true)]
    [InlineData("010.000.000.001", true)] // sloppy: leading zeros allowed
    [InlineData("2001:db8::ffff", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("10.0.0", false)]
    [InlineData("10.0.0.256", false)]
    [InlineData("1", false)] // .NET alone would read this as 0.0.0.1
    [InlineData("0x7f.0.0.1", false)]
    [InlineData("[::1]", false)]
    [InlineData("fe80::1%eth0", false)]
    [InlineData(" 10.0.0.1", false)]
    [InlineData("", false)]
    public void TryParseIp_GoSyntax_AcceptsOnlyWhatKubernetesAccepts(string text, bool valid) =>
        Assert.Equal(valid, NetworkValidation.TryParseIp(text, out _));

    [Theory]
    [InlineData("10.42.0.0/16", true)]
    [InlineData("10.42.0.0/32", true)]
    [InlineData("fd00::/64", true)]
    [InlineData("fd00::/128", true)]
    [InlineData("10.42.0.0/33", false)]
    [InlineData("fd00::/129", false)]
    [InlineData("10.42.0.0", false)]
    [InlineData("10.42.0.0/", false)]
    [InlineData("10.42.0.0/+8", false)]
    public void TryParseCidr_PrefixMustFitFamily(string text, bool valid) =>
        Assert.Equal(valid, NetworkValidation.TryParseCidr(text, out _, out _));

    [Theory]
    [InlineData("10.0.0.1", "must be a valid IPv6 address", false)]
    [InlineData("::ffff:10.0.0.1", "must be a valid IPv6 address", false)]
    [InlineData("fd00::1", "must be a valid IPv4 address", true)]
    public void IsValidIPv4OrIPv6_WrongFamily_IsInvalid(string address, string message, bool askIpv4)
    {
        var errors = askIpv4 ? NetworkValidation.IsValidIPv4Address(_path, address) : NetworkValidation.IsValidIPv6Address(_path, address);
        Assert.Equal($"ip: Invalid value: \"{address}\": {message}", Assert.Single(errors).ToString());
    }

    [Theory]
    [InlineData("10.0.0.1", new string[0])]
    [InlineData("::", new[] { "may not be unspecified (::)" })]
    [InlineData("::1", new[] { "may not be in the loopback range (127.0.0.0/8, ::1/128)" })]
    [InlineData("127.1.2.3", new[] { "may not be in the loopback range (127.0.0.0/8, ::1/128)" })]
    [InlineData("fe80::1", new[] { "may not be in the link-local range (169.254.0.0/16, fe80::/10)" })]
    [InlineData("224.0.0.251", new[] { "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)" })]
    [InlineData("ff02::1", new[] { "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)" })]
    [InlineData("224.0.1.1", new string[0])]
    [InlineData("nope", new[] { "must be a valid IP address" })]
    public void ValidateNonSpecialIP_SpecialRanges_AreRejected(string address, string[] details) =>
        Assert.Equal(details, NetworkValidation.ValidateNonSpecialIP(_path, address).Select(e => e.Detail));

    [Theory]
    [InlineData("db.example.com", null)]
    [InlineData("db.example.com.", null)]
    [InlineData("", "ip: Required value")]
    [InlineData("db", "ip: Invalid value: \"db\": should be a domain with at least two segments separated by dots")]
    public void IsFullyQualifiedDomainName_NeedsTwoLabels(string name, string? expected) =>
        Assert.Equal(expected, NetworkValidation.IsFullyQualifiedDomainName(_path, name).ToAggregateMessage());
}
