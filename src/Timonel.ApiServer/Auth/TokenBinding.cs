namespace Timonel.ApiServer.Auth;

/// <summary>An object a service-account token names in its kubernetes.io claim (pod, secret, node): name and UID.</summary>
public sealed record TokenBinding(string Name, string Uid);
