using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry.Validation;

namespace Timonel.ApiServer.Registry.Networking;

/// <summary>Ingresses and IngressClasses (upstream's pkg/apis/networking/validation/validation.go).</summary>
internal static partial class IngressValidation
{
    private const string WildcardFormat = "\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";

    private static readonly FieldPath _spec = FieldPath.Root("spec");
    private static readonly string[] _pathTypes = ["Exact", "ImplementationSpecific", "Prefix"];
    private static readonly string[] _invalidSequences = ["//", "/./", "/../", "%2f", "%2F"];
    private static readonly string[] _invalidSuffixes = ["/..", "/."];

    public static FieldErrorList ValidateIngress(JsonObject ingress)
    {
        var errors = new FieldErrorList();
        var spec = ingress["spec"] as JsonObject ?? [];
        var rules = spec.ArrayAt("rules");
        if (rules is not { Count: > 0 } && spec["defaultBackend"] is null)
        {
            // spec.Rules, a []networking.IngressRule: nil when absent, empty when given as [].
            errors.Add(FieldError.Invalid(_spec, rules is null ? GoValue.NilSlice("networking.IngressRule") : GoValue.Slice("networking.IngressRule", []), "either `defaultBackend` or `rules` must be specified"));
        }

        if (spec.ObjectAt("defaultBackend") is { } defaultBackend)
        {
            ValidateBackend(errors, defaultBackend, _spec.Child("defaultBackend"));
        }

        var index = 0;
        foreach (var rule in rules.Objects())
        {
            ValidateRule(errors, rule, _spec.Child("rules").Index(index++));
        }

        index = 0;
        foreach (var tls in spec.ArrayAt("tls").Objects())
        {
            var tlsPath = _spec.Child("tls").Index(index++);
            var hostIndex = 0;
            foreach (var host in Api.Objects.JsonFields.GetStringList(tls, "hosts"))
            {
                AddHost(errors, host, tlsPath.Child("hosts").Index(hostIndex++), checkIp: false);
            }
        }

        if (spec.StringAt("ingressClassName") is { } className)
        {
            errors.AddInvalid(_spec.Child("ingressClassName"), className, NameValidation.NameIsDnsSubdomain(className, false));
        }

        return errors;
    }

    /// <summary>ValidateIngressClass: a controller is required and, on update, immutable.</summary>
    public static FieldErrorList ValidateIngressClass(JsonObject ingressClass, JsonObject? old)
    {
        var errors = new FieldErrorList();
        var controller = ingressClass.StringAt("spec", "controller") ?? string.Empty;
        if (controller.Length == 0)
        {
            errors.Add(FieldError.Required(_spec.Child("controller")));
        }
        else if (controller.Length > 250)
        {
            errors.Add(FieldError.TooLong(_spec.Child("controller"), 250));
        }

        if (old is not null)
        {
            errors.AddImmutable(ingressClass.At("spec", "controller"), old.At("spec", "controller"), _spec.Child("controller"));
        }

        return errors;
    }

    private static void ValidateRule(FieldErrorList errors, JsonObject rule, FieldPath path)
    {
        if (rule.StringAt("host") is { Length: > 0 } host)
        {
            AddHost(errors, host, path.Child("host"), checkIp: true);
        }

        if (rule.ObjectAt("http") is not { } http)
        {
            return;
        }

        var paths = http.ArrayAt("paths");
        if (paths is not { Count: > 0 })
        {
            errors.Add(FieldError.Required(path.Child("http", "paths")));
        }

        var index = 0;
        foreach (var item in paths.Objects())
        {
            ValidatePath(errors, item, path.Child("http", "paths").Index(index++));
        }
    }

    /// <summary>A rule's host: a DNS subdomain, or "*." and one; a rule's host may not be an IP address.</summary>
    private static void AddHost(FieldErrorList errors, string host, FieldPath path, bool checkIp)
    {
        if (checkIp && (Ipv4Regex().IsMatch(host) || (host.Contains(':', StringComparison.Ordinal) && IPAddress.TryParse(host, out _))))
        {
            errors.Add(FieldError.Invalid(path, host, "must be a DNS name, not an IP address"));
        }

        if (!host.Contains('*', StringComparison.Ordinal))
        {
            errors.AddDns1123Subdomain(host, path);
            return;
        }

        // IsWildcardDNS1123Subdomain.
        if (host.Length > NameValidation.Dns1123SubdomainMaxLength)
        {
            errors.Add(FieldError.Invalid(path, host, NameValidation.MaxLenError(NameValidation.Dns1123SubdomainMaxLength)));
        }

        if (!WildcardRegex().IsMatch(host))
        {
            errors.Add(FieldError.Invalid(path, host, NameValidation.RegexError(
                "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character",
                WildcardFormat, "*.example.com")));
        }
    }

    /// <summary>validateHTTPIngressPath: a pathType, an absolute clean path for Exact and Prefix, and a backend.</summary>
    private static void ValidatePath(FieldErrorList errors, JsonObject item, FieldPath path)
    {
        if (item.StringAt("pathType") is not { } pathType)
        {
            errors.Add(FieldError.Required(path.Child("pathType"), "pathType must be specified"));
            return;
        }

        var value = item.Text("path");
        switch (pathType)
        {
            case "Exact" or "Prefix":
                if (!value.StartsWith('/'))
                {
                    errors.Add(FieldError.Invalid(path.Child("path"), value, "must be an absolute path"));
                }

                foreach (var sequence in _invalidSequences.Where(s => value.Contains(s, StringComparison.Ordinal)))
                {
                    errors.Add(FieldError.Invalid(path.Child("path"), value, $"must not contain '{sequence}'"));
                }

                foreach (var suffix in _invalidSuffixes.Where(s => value.EndsWith(s, StringComparison.Ordinal)))
                {
                    errors.Add(FieldError.Invalid(path.Child("path"), value, $"cannot end with '{suffix}'"));
                }

                break;
            case "ImplementationSpecific":
                if (value.Length > 0 && !value.StartsWith('/'))
                {
                    errors.Add(FieldError.Invalid(path.Child("path"), value, "must be an absolute path"));
                }

                break;
            default:
                errors.Add(FieldError.NotSupported(path.Child("pathType"), pathType, _pathTypes));
                break;
        }

        ValidateBackend(errors, item.ObjectAt("backend") ?? [], path.Child("backend"));
    }

    /// <summary>validateIngressBackend: a resource or a service (DNS-1035 name, a port name or number), not both.</summary>
    private static void ValidateBackend(FieldErrorList errors, JsonObject backend, FieldPath path)
    {
        var resource = backend.ObjectAt("resource");
        var service = backend.ObjectAt("service");
        if (resource is not null && service is not null)
        {
            errors.Add(FieldError.Invalid(path, string.Empty, "cannot set both resource and service backends"));
            return;
        }

        if (resource is not null)
        {
            if (resource.Text("kind").Length == 0)
            {
                errors.Add(FieldError.Required(path.Child("resource", "kind")));
            }

            if (resource.Text("name").Length == 0)
            {
                errors.Add(FieldError.Required(path.Child("resource", "name")));
            }

            return;
        }

        if (service is null)
        {
            errors.Add(FieldError.Invalid(path, string.Empty, "resource or service backend is required"));
            return;
        }

        var name = service.Text("name");
        if (name.Length == 0)
        {
            errors.Add(FieldError.Required(path.Child("service", "name")));
        }
        else
        {
            errors.AddInvalid(path.Child("service", "name"), name, NameValidation.NameIsDns1035Label(name, false));
        }

        var portName = service.StringAt("port", "name") ?? string.Empty;
        var portNumber = service.LongAt("port", "number") ?? 0;
        if (portName.Length > 0 && portNumber != 0)
        {
            errors.Add(FieldError.Invalid(path, string.Empty, "cannot set both port name & port number"));
        }
        else if (portName.Length > 0)
        {
            errors.AddInvalid(path.Child("service", "port", "name"), portName, NameValidation.IsValidPortName(portName));
        }
        else if (portNumber != 0)
        {
            errors.AddInvalid(path.Child("service", "port", "number"), portNumber, NameValidation.IsValidPortNum(portNumber));
        }
        else
        {
            errors.Add(FieldError.Required(path, "port name or number is required"));
        }
    }

    [GeneratedRegex("^" + WildcardFormat + "\\z", RegexOptions.CultureInvariant)]
    private static partial Regex WildcardRegex();

    [GeneratedRegex("^[0-9]{1,3}(\\.[0-9]{1,3}){3}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Ipv4Regex();
}
