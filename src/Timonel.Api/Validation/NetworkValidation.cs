using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Timonel.Api.Validation;

/// <summary>
/// IP address, CIDR and domain name checks with upstream's messages: apimachinery's pkg/util/validation/validation.go
/// (IsValidIP, IsValidIPv4Address, IsValidIPv6Address, IsValidCIDR, IsFullyQualifiedDomainName; Kubernetes 1.32) and
/// ValidateNonSpecialIP of kubernetes' pkg/apis/core/validation. Addresses are parsed as k8s.io/utils/net's
/// ParseIPSloppy does: Go's strict syntax, except that IPv4 parts may have leading zeros.
/// </summary>
public static class NetworkValidation
{
    /// <summary>IsValidIP: an IPv4 or IPv6 address.</summary>
    public static FieldErrorList IsValidIP(FieldPath path, string value) =>
        Single(TryParseIp(value, out _), path, value, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");

    /// <summary>IsValidIPv4Address: an IPv4 address (an IPv4-mapped IPv6 address counts, as in Go).</summary>
    public static FieldErrorList IsValidIPv4Address(FieldPath path, string value) =>
        Single(TryParseIp(value, out var ip) && IsIpv4(ip), path, value, "must be a valid IPv4 address");

    /// <summary>IsValidIPv6Address: an IPv6 address that is not IPv4-mapped.</summary>
    public static FieldErrorList IsValidIPv6Address(FieldPath path, string value) =>
        Single(TryParseIp(value, out var ip) && !IsIpv4(ip), path, value, "must be a valid IPv6 address");

    /// <summary>IsValidCIDR: an address, '/', and a prefix length that fits the address family.</summary>
    public static FieldErrorList IsValidCIDR(FieldPath path, string value) =>
        Single(TryParseCidr(value, out _, out _), path, value, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)");

    /// <summary>
    /// ValidateNonSpecialIP (Endpoints, EndpointSlices, external IPs): not unspecified, loopback, link-local or
    /// link-local multicast.
    /// </summary>
    public static FieldErrorList ValidateNonSpecialIP(FieldPath path, string value)
    {
        var errors = new FieldErrorList();
        if (!TryParseIp(value, out var ip))
        {
            errors.Add(FieldError.Invalid(path, value, "must be a valid IP address"));
            return errors;
        }

        var bytes = (IsIpv4(ip) ? ip.MapToIPv4() : ip).GetAddressBytes();
        var v4 = bytes.Length == 4;
        if (bytes.All(b => b == 0))
        {
            errors.Add(FieldError.Invalid(path, value, $"may not be unspecified ({value})"));
        }

        if (v4 ? bytes[0] == 127 : IPAddress.IsLoopback(ip))
        {
            errors.Add(FieldError.Invalid(path, value, "may not be in the loopback range (127.0.0.0/8, ::1/128)"));
        }

        if (v4 ? bytes[0] == 169 && bytes[1] == 254 : bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80)
        {
            errors.Add(FieldError.Invalid(path, value, "may not be in the link-local range (169.254.0.0/16, fe80::/10)"));
        }

        if (v4 ? bytes[0] == 224 && bytes[1] == 0 && bytes[2] == 0 : bytes[0] == 0xff && (bytes[1] & 0x0f) == 0x02)
        {
            errors.Add(FieldError.Invalid(path, value, "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"));
        }

        return errors;
    }

    /// <summary>IsFullyQualifiedDomainName: a DNS subdomain of at least two labels, an optional trailing dot allowed.</summary>
    public static FieldErrorList IsFullyQualifiedDomainName(FieldPath path, string value)
    {
        var errors = new FieldErrorList();
        if (value.Length == 0)
        {
            errors.Add(FieldError.Required(path));
            return errors;
        }

        var name = value.EndsWith('.') ? value[..^1] : value;
        var problems = NameValidation.IsDns1123Subdomain(name);
        if (problems.Count > 0)
        {
            errors.Add(FieldError.Invalid(path, name, string.Join(",", problems)));
            return errors;
        }

        var labels = name.Split('.');
        if (labels.Length < 2)
        {
            errors.Add(FieldError.Invalid(path, name, "should be a domain with at least two segments separated by dots"));
            return errors;
        }

        foreach (var label in labels)
        {
            problems = NameValidation.IsDns1123Label(label);
            if (problems.Count > 0)
            {
                errors.Add(FieldError.Invalid(path, label, string.Join(",", problems)));
                return errors;
            }
        }

        return errors;
    }

    /// <summary>Whether the address is IPv4 (or IPv4-mapped IPv6, which Go treats as IPv4).</summary>
    public static bool IsIpv4(IPAddress ip) => ip.AddressFamily == AddressFamily.InterNetwork || ip.IsIPv4MappedToIPv6;

    /// <summary>
    /// Parses an address as ParseIPSloppy: the first '.' or ':' decides the family; IPv4 is four decimal parts of at
    /// most 255 (leading zeros allowed); IPv6 has no zone, brackets or prefix.
    /// </summary>
    public static bool TryParseIp(string text, out IPAddress ip)
    {
        ip = IPAddress.None;
        var separator = text.IndexOfAny(['.', ':']);
        if (separator < 0)
        {
            return false;
        }

        return text[separator] == '.' ? TryParseIpv4(text, out ip) : TryParseIpv6(text, out ip);
    }

    /// <summary>Parses a CIDR as ParseCIDRSloppy: an address, '/', and a decimal prefix length of at most 32 or 128.</summary>
    public static bool TryParseCidr(string text, out IPAddress ip, out int prefixLength)
    {
        prefixLength = 0;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !TryParseIp(text[..slash], out ip))
        {
            ip = IPAddress.None;
            return false;
        }

        var mask = text[(slash + 1)..];
        var bits = ip.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        return mask.Length is > 0 and <= 6 && mask.All(char.IsAsciiDigit)
            && int.TryParse(mask, NumberStyles.None, CultureInfo.InvariantCulture, out prefixLength) && prefixLength <= bits;
    }

    private static bool TryParseIpv4(string text, out IPAddress ip)
    {
        ip = IPAddress.None;
        var parts = text.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        var bytes = new byte[4];
        for (var i = 0; i < 4; i++)
        {
            // Go's dtoi stops at 0xFFFFFF; anything over 255 fails either way, so a length cap keeps int parsing safe.
            if (parts[i].Length is 0 or > 8 || !parts[i].All(char.IsAsciiDigit)
                || !int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > 255)
            {
                return false;
            }

            bytes[i] = (byte)value;
        }

        ip = new IPAddress(bytes);
        return true;
    }

    private static bool TryParseIpv6(string text, out IPAddress ip)
    {
        ip = IPAddress.None;
        // .NET also accepts brackets, zones and ports; Go's parser takes only hex groups, colons and a dotted tail.
        if (!text.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.'))
        {
            return false;
        }

        if (!IPAddress.TryParse(text, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        ip = parsed;
        return true;
    }

    private static FieldErrorList Single(bool valid, FieldPath path, string value, string message)
    {
        var errors = new FieldErrorList();
        if (!valid)
        {
            errors.Add(FieldError.Invalid(path, value, message));
        }

        return errors;
    }
}
