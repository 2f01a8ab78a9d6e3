namespace Timonel.Client.Services;

/// <summary>A port a server listens on for a <see cref="ServerBackedService"/>, named as the Service's port it serves.</summary>
public sealed record ServerEndpointPort(string Name, int Port, string Protocol = "TCP");
