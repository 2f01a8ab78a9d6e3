using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry.Validation;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// Endpoints (upstream's ValidateEndpoints, validateEndpointSubsets, validateEndpointAddress and validateEndpointPort
/// in pkg/apis/core/validation/validation.go): every subset has addresses, each a usable IP, and valid ports.
/// The same rules apply on update.
/// </summary>
internal static class EndpointsValidation
{
    private static readonly FieldPath _subsets = FieldPath.Root("subsets");

    public static FieldErrorList Validate(JsonObject endpoints)
    {
        var errors = new FieldErrorList();
        var index = 0;
        foreach (var subset in endpoints.ArrayAt("subsets").Objects())
        {
            var path = _subsets.Index(index++);
            var addresses = subset.ArrayAt("addresses").Objects().ToList();
            var notReady = subset.ArrayAt("notReadyAddresses").Objects().ToList();
            if (addresses.Count == 0 && notReady.Count == 0)
            {
                errors.Add(FieldError.Required(path, "must specify `addresses` or `notReadyAddresses`"));
            }

            ValidateAddresses(errors, addresses, path.Child("addresses"));
            ValidateAddresses(errors, notReady, path.Child("notReadyAddresses"));
            var ports = subset.ArrayAt("ports").Objects().ToList();
            for (var i = 0; i < ports.Count; i++)
            {
                var portPath = path.Child("ports").Index(i);
                errors.AddPortName(ports[i], ports.Count > 1, portPath);
                errors.AddPortNumberAndProtocol(ports[i], portPath);
                errors.AddAppProtocol(ports[i], portPath);
            }
        }

        return errors;
    }

    private static void ValidateAddresses(FieldErrorList errors, List<JsonObject> addresses, FieldPath path)
    {
        for (var i = 0; i < addresses.Count; i++)
        {
            var addressPath = path.Index(i);
            var ip = addresses[i].Text("ip");
            errors.AddRange(NetworkValidation.IsValidIP(addressPath.Child("ip"), ip));
            if (addresses[i].StringAt("hostname") is { Length: > 0 } hostname)
            {
                errors.AddDns1123Label(hostname, addressPath.Child("hostname"));
            }

            if (addresses[i].StringAt("nodeName") is { } nodeName)
            {
                errors.AddInvalid(addressPath.Child("nodeName"), nodeName, NameValidation.NameIsDnsSubdomain(nodeName, false));
            }

            errors.AddRange(NetworkValidation.ValidateNonSpecialIP(addressPath.Child("ip"), ip));
        }
    }
}
