using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Timonel.Api.Objects;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry.Validation;

namespace Timonel.ApiServer.Registry.Certificates;

/// <summary>
/// CertificateSigningRequests (upstream's pkg/apis/certificates/validation ValidateCertificateSigningRequestCreate):
/// a PEM certificate request with a valid signature, known usages without duplicates, a signer name of the form
/// domain/path, and at least ten minutes of requested validity.
/// </summary>
internal static class CertificateSigningRequestValidation
{
    /// <summary>allValidUsages, sorted as sets.List lists them.</summary>
    private static readonly string[] _usages =
    [
        "any", "cert sign", "client auth", "code signing", "content commitment", "crl sign", "data encipherment", "decipher only",
        "digital signature", "email protection", "encipher only", "ipsec end system", "ipsec tunnel", "ipsec user", "key agreement",
        "key encipherment", "microsoft sgc", "netscape sgc", "ocsp signing", "s/mime", "server auth", "signing", "timestamping",
    ];

    public static FieldErrorList Validate(JsonObject csr)
    {
        var errors = new FieldErrorList();
        var spec = FieldPath.Root("spec");
        var request = csr.StringAt("spec", "request") ?? "";
        if (RequestError(request) is { } error)
        {
            // The request is a []byte, which %v prints as its bytes; the path and message are what users read.
            errors.Add(FieldError.Invalid(spec.Child("request"), GoValue.Unstructured(request), error));
        }

        var usages = JsonFields.GetStringList(csr.ObjectAt("spec"), "usages");
        if (usages.Count == 0)
        {
            errors.Add(FieldError.Required(spec.Child("usages"), "usages must be provided"));
        }

        var seen = new HashSet<string>();
        for (var i = 0; i < usages.Count; i++)
        {
            if (!_usages.Contains(usages[i]))
            {
                errors.Add(FieldError.NotSupported(spec.Child("usages").Index(i), usages[i], _usages));
            }

            if (!seen.Add(usages[i]))
            {
                errors.Add(FieldError.Duplicate(spec.Child("usages").Index(i), usages[i]));
            }
        }

        AddSignerName(errors, csr.StringAt("spec", "signerName") ?? "", spec.Child("signerName"));
        if (csr.LongAt("spec", "expirationSeconds") is { } seconds and < 600)
        {
            errors.Add(FieldError.Invalid(spec.Child("expirationSeconds"), seconds, "may not specify a duration less than 600 seconds (10 minutes)"));
        }

        return errors;
    }

    /// <summary>certificates.ParseCSR and CheckSignature: null when the base64 field holds a signed PEM request.</summary>
    private static string? RequestError(string base64)
    {
        string pem;
        try
        {
            pem = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            return "PEM block type must be CERTIFICATE REQUEST";
        }

        const string header = "-----BEGIN CERTIFICATE REQUEST-----";
        if (!pem.Contains(header, StringComparison.Ordinal))
        {
            return "PEM block type must be CERTIFICATE REQUEST";
        }

        try
        {
            // Loading verifies the request's signature.
            CertificateRequest.LoadSigningRequestPem(pem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default);
            return null;
        }
        catch (CryptographicException e)
        {
            return e.Message;
        }
    }

    /// <summary>ValidateSignerName (pkg/apis/certificates/validation): required, domain/path with a DNS subdomain domain.</summary>
    private static void AddSignerName(FieldErrorList errors, string signerName, FieldPath path)
    {
        if (signerName.Length == 0)
        {
            errors.Add(FieldError.Required(path));
            return;
        }

        var segments = signerName.Split('/');
        if (segments.Length != 2)
        {
            errors.Add(FieldError.Invalid(path, signerName, "must be a fully qualified domain and path of the form 'example.com/signer-name'"));
            return;
        }

        if (segments[1].Length == 0)
        {
            errors.Add(FieldError.Invalid(path, signerName, "validating path: must be non-empty"));
        }

        errors.AddInvalid(path, signerName, NameValidation.IsDns1123Subdomain(segments[0]).Select(message => "validating domain component: " + message));
    }
}
