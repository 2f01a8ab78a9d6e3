namespace Timonel.ApiServer.Auth;

/// <summary>
/// What a request does, as an authorizer sees it (authorizer.Attributes). A non-resource request (discovery, health,
/// /openapi) has <see cref="IsResourceRequest"/> false and is known by its <see cref="Path"/> alone.
/// </summary>
public sealed record RequestAttributes(string Verb, string Group, string Resource, string? Subresource, string? Namespace, string? Name, string Path, bool IsResourceRequest = true)
{
    /// <summary>A list or watch's field selector as sent (attributes.GetFieldSelector); null when none.</summary>
    public string? FieldSelector { get; init; }

    public static RequestAttributes NonResource(string verb, string path) => new(verb, "", "", null, null, null, path, IsResourceRequest: false);
}
