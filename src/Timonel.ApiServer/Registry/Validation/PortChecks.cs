using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Registry.Validation;

/// <summary>
/// What Service ports and Endpoints ports share (upstream's validateServicePort and validateEndpointPort in
/// pkg/apis/core/validation/validation.go): name, number, protocol and application protocol.
/// </summary>
internal static class PortChecks
{
    /// <summary>supportedPortProtocols, listed sorted as sets.List does.</summary>
    public static readonly string[] Protocols = ["SCTP", "TCP", "UDP"];

    /// <summary>The port's name: Required when the list has several ports, else a DNS-1123 label when set. Returns the name.</summary>
    public static string AddPortName(this FieldErrorList errors, JsonObject port, bool requireName, FieldPath path)
    {
        var name = port.Text("name");
        if (requireName && name.Length == 0)
        {
            errors.Add(FieldError.Required(path.Child("name")));
        }
        else if (name.Length != 0)
        {
            errors.AddDns1123Label(name, path.Child("name"));
        }

        return name;
    }

    /// <summary>The port number (1..65535) and a required, supported protocol.</summary>
    public static void AddPortNumberAndProtocol(this FieldErrorList errors, JsonObject port, FieldPath path)
    {
        var number = port.LongAt("port") ?? 0;
        errors.AddInvalid(path.Child("port"), number, NameValidation.IsValidPortNum(number));
        errors.AddEnum(port.StringAt("protocol"), path.Child("protocol"), Protocols);
    }

    /// <summary>appProtocol, when set, is a qualified name.</summary>
    public static void AddAppProtocol(this FieldErrorList errors, JsonObject port, FieldPath path)
    {
        if (port.StringAt("appProtocol") is { } appProtocol)
        {
            errors.AddInvalid(path.Child("appProtocol"), appProtocol, NameValidation.IsQualifiedName(appProtocol));
        }
    }
}
