namespace Timonel.Agent.Proxy;

/// <summary>One address and port of a Service port's EndpointSlices, with the conditions that decide whether it gets traffic.</summary>
public sealed record ProxyEndpoint(string Ip, int Port, bool Ready, bool Serving, bool Terminating, bool IsLocal)
{
    /// <summary>"ip:port", as the DNAT target.</summary>
    public override string ToString() => $"{Ip}:{Port}";
}
