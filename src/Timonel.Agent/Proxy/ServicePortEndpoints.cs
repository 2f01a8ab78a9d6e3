namespace Timonel.Agent.Proxy;

/// <summary>One port of a Service and the endpoints its EndpointSlices list for it.</summary>
public sealed record ServicePortEndpoints(ProxyServicePort Port, IReadOnlyList<ProxyEndpoint> Endpoints);
