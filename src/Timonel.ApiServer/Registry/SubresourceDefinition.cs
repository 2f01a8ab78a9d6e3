using Timonel.ApiServer.Endpoints;

namespace Timonel.ApiServer.Registry;

/// <summary>
/// One subresource a resource serves (pods/log, namespaces/finalize, deployments/scale...): its verbs, the object it
/// exchanges as discovery names it, and the handler that serves it. Declared on the <see cref="ResourceDefinition"/>,
/// so the endpoint layer routes and discovery lists without knowing any kind by name.
/// </summary>
public sealed record SubresourceDefinition
{
    /// <summary>The URL segment after the object's name ("status").</summary>
    public required string Name { get; init; }

    /// <summary>The verbs served, as discovery lists them (sorted, as upstream's discovery does).</summary>
    public required IReadOnlyList<string> Verbs { get; init; }

    public required ISubresourceHandler Handler { get; init; }

    /// <summary>The kind exchanged; null for the parent resource's own kind (status).</summary>
    public string? Kind { get; init; }

    /// <summary>The group of <see cref="Kind"/> when it is another group's (autoscaling Scale); null for the parent's.</summary>
    public string? Group { get; init; }

    /// <summary>The version of <see cref="Kind"/> when <see cref="Group"/> is set.</summary>
    public string? Version { get; init; }

    /// <summary>
    /// The answer is a stream or a log in its own media type (pods/log, exec, attach, portforward), so the Accept
    /// header is not negotiated against the serializers'.
    /// </summary>
    public bool Streams { get; init; }

    public bool Serves(string verb) => Verbs.Contains(verb, StringComparer.Ordinal);
}
