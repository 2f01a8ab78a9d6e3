namespace Timonel.Controllers.Ingress;

/// <summary>A Service port an Ingress routes to, by the port's number or its name.</summary>
public sealed record IngressBackendRef(string Namespace, string Service, int? PortNumber, string? PortName)
{
    /// <summary>The YARP cluster all paths to this Service port share.</summary>
    public string ClusterId => $"{Namespace}/{Service}:{PortNumber?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? PortName}";

    /// <summary>How kubectl describe shows a backend: <c>name:port</c>.</summary>
    public override string ToString() => $"{Service}:{PortNumber?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? PortName}";
}
