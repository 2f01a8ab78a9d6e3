using System.Globalization;
using System.Net;
using ARSoft.Tools.Net;

namespace Timonel.Networking.Dns;

/// <summary>The address a reverse name (<c>4.3.2.1.in-addr.arpa</c>, 32 nibbles under <c>ip6.arpa</c>) stands for.</summary>
public static class ReverseName
{
    /// <summary>The address, or null when the name is not a whole address's reverse name.</summary>
    public static IPAddress? ToAddress(DomainName name)
    {
        var labels = name.Labels;
        if (labels.Length == 6 && IsArpa(labels, "in-addr"))
        {
            var octets = labels[..4].Reverse().ToArray();
            return octets.All(octet => byte.TryParse(octet, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                ? IPAddress.Parse(string.Join('.', octets))
                : null;
        }

        if (labels.Length == 34 && IsArpa(labels, "ip6") && labels[..32].All(nibble => nibble.Length == 1 && Uri.IsHexDigit(nibble[0])))
        {
            var hex = string.Concat(labels[..32].Reverse());
            return IPAddress.Parse(string.Join(':', Enumerable.Range(0, 8).Select(i => hex.Substring(i * 4, 4))));
        }

        return null;
    }

    private static bool IsArpa(string[] labels, string kind) =>
        string.Equals(labels[^2], kind, StringComparison.OrdinalIgnoreCase) && string.Equals(labels[^1], "arpa", StringComparison.OrdinalIgnoreCase);
}
