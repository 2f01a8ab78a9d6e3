using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Timonel.Controllers.Certificates;

/// <summary>
/// The subjectAltName extension of a certificate request, by kind (Go's x509.CertificateRequest DNSNames,
/// IPAddresses, EmailAddresses, URIs): the signers' rules allow some kinds and refuse others.
/// </summary>
public sealed record SubjectAlternativeNames(IReadOnlyList<string> DnsNames, IReadOnlyList<IPAddress> IPAddresses, IReadOnlyList<string> EmailAddresses, IReadOnlyList<string> Uris)
{
    private const string ExtensionOid = "2.5.29.17";

    public static SubjectAlternativeNames None { get; } = new([], [], [], []);

    /// <summary>The names in the request's subjectAltName extension (none without one).</summary>
    /// <exception cref="AsnContentException">The extension is not DER GeneralNames.</exception>
    public static SubjectAlternativeNames Of(CertificateRequest request) =>
        request.CertificateExtensions.FirstOrDefault(e => e.Oid?.Value == ExtensionOid) is { } extension ? Parse(extension.RawData) : None;

    /// <summary>GeneralNames (RFC 5280 4.2.1.6): rfc822Name [1], dNSName [2], uniformResourceIdentifier [6], iPAddress [7].</summary>
    public static SubjectAlternativeNames Parse(ReadOnlyMemory<byte> der)
    {
        var dns = new List<string>();
        var ips = new List<IPAddress>();
        var emails = new List<string>();
        var uris = new List<string>();
        var names = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        while (names.HasData)
        {
            var tag = names.PeekTag();
            if (tag.TagClass != TagClass.ContextSpecific)
            {
                names.ReadEncodedValue();
                continue;
            }

            switch (tag.TagValue)
            {
                case 1:
                    emails.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, tag));
                    break;
                case 2:
                    dns.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, tag));
                    break;
                case 6:
                    uris.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, tag));
                    break;
                case 7:
                    ips.Add(new IPAddress(names.ReadOctetString(tag)));
                    break;
                default:
                    // otherName, x400Address, directoryName, ediPartyName, registeredID: no rule here looks at them.
                    names.ReadEncodedValue();
                    break;
            }
        }

        return new SubjectAlternativeNames(dns, ips, emails, uris);
    }
}
