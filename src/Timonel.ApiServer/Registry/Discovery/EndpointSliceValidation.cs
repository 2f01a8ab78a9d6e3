using System.Text.Json.Nodes;
using Timonel.Api.Objects;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry.Validation;

namespace Timonel.ApiServer.Registry.Discovery;

/// <summary>
/// EndpointSlices (upstream's pkg/apis/discovery/validation/validation.go): an address type, endpoints whose
/// addresses match it, and ports; the address type may not change. Limits: 1000 endpoints of 1..100 addresses,
/// 100 ports.
/// </summary>
internal static class EndpointSliceValidation
{
    private const int MaxEndpoints = 1000;
    private const int MaxAddresses = 100;
    private const int MaxPorts = 100;

    // supportedAddressTypes, sorted; an update may keep the deprecated "IP" type.
    private static readonly string[] _addressTypes = ["FQDN", "IPv4", "IPv6"];
    private static readonly string[] _updateAddressTypes = ["FQDN", "IP", "IPv4", "IPv6"];

    public static FieldErrorList Validate(JsonObject slice) => Validate(slice, _addressTypes);

    public static FieldErrorList ValidateUpdate(JsonObject slice, JsonObject old)
    {
        var errors = Validate(slice, _updateAddressTypes);
        errors.AddImmutable(slice["addressType"], old["addressType"], FieldPath.Root("addressType"));
        return errors;
    }

    private static FieldErrorList Validate(JsonObject slice, string[] addressTypes)
    {
        var errors = new FieldErrorList();
        var addressType = slice.Text("addressType");
        errors.AddEnum(addressType, FieldPath.Root("addressType"), addressTypes);
        ValidateEndpoints(errors, slice.ArrayAt("endpoints").Objects().ToList(), addressType);
        ValidatePorts(errors, slice.ArrayAt("ports").Objects().ToList());
        return errors;
    }

    private static void ValidateEndpoints(FieldErrorList errors, List<JsonObject> endpoints, string addressType)
    {
        var path = FieldPath.Root("endpoints");
        if (endpoints.Count > MaxEndpoints)
        {
            errors.Add(FieldError.TooMany(path, endpoints.Count, MaxEndpoints));
            return;
        }

        for (var i = 0; i < endpoints.Count; i++)
        {
            var addressesPath = path.Index(i).Child("addresses");
            var addresses = JsonFields.GetStringList(endpoints[i], "addresses");
            if (addresses.Count == 0)
            {
                errors.Add(FieldError.Required(addressesPath, "must contain at least 1 address"));
            }
            else if (addresses.Count > MaxAddresses)
            {
                errors.Add(FieldError.TooMany(addressesPath, addresses.Count, MaxAddresses));
            }

            for (var j = 0; j < addresses.Count; j++)
            {
                ValidateAddress(errors, addresses[j], addressType, addressesPath.Index(j));
            }

            if (endpoints[i].StringAt("hostname") is { } hostname)
            {
                errors.AddDns1123Label(hostname, path.Index(i).Child("hostname"));
            }
        }
    }

    // Unknown address types were reported already; their addresses are not checked, as upstream.
    private static void ValidateAddress(FieldErrorList errors, string address, string addressType, FieldPath path)
    {
        switch (addressType)
        {
            case "IP":
                errors.AddRange(NetworkValidation.IsValidIP(path, address));
                break;
            case "IPv4":
                errors.AddRange(NetworkValidation.IsValidIPv4Address(path, address));
                errors.AddRange(NetworkValidation.ValidateNonSpecialIP(path, address));
                break;
            case "IPv6":
                errors.AddRange(NetworkValidation.IsValidIPv6Address(path, address));
                errors.AddRange(NetworkValidation.ValidateNonSpecialIP(path, address));
                break;
            case "FQDN":
                errors.AddRange(NetworkValidation.IsFullyQualifiedDomainName(path, address));
                break;
        }
    }

    /// <summary>validatePorts: label names unique (the empty name too), a known protocol, a qualified appProtocol.</summary>
    private static void ValidatePorts(FieldErrorList errors, List<JsonObject> ports)
    {
        var path = FieldPath.Root("ports");
        if (ports.Count > MaxPorts)
        {
            errors.Add(FieldError.TooMany(path, ports.Count, MaxPorts));
            return;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ports.Count; i++)
        {
            var portPath = path.Index(i);
            var name = errors.AddPortName(ports[i], requireName: false, portPath);
            if (!names.Add(name))
            {
                errors.Add(FieldError.Duplicate(portPath.Child("name"), name));
            }

            errors.AddEnum(ports[i].StringAt("protocol"), portPath.Child("protocol"), PortChecks.Protocols);
            errors.AddAppProtocol(ports[i], portPath);
        }
    }
}
