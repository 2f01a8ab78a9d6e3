namespace Timonel.ApiServer.Auth;

/// <summary>The objects a new token is bound to (TokenRequest's spec.boundObjectRef, and the pod's node).</summary>
public sealed record BoundObjects
{
    public static BoundObjects None { get; } = new();

    public TokenBinding? Pod { get; init; }

    public TokenBinding? Secret { get; init; }

    public TokenBinding? Node { get; init; }
}
