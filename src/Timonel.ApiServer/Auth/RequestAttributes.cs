namespace Timonel.ApiServer.Auth;

/// <summary>What a request does, as an authorizer sees it (authorizer.Attributes).</summary>
public sealed record RequestAttributes(string Verb, string Group, string Resource, string? Subresource, string? Namespace, string? Name, string Path);
