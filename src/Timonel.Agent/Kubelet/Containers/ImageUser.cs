namespace Timonel.Agent.Kubelet.Containers;

/// <summary>The user an image runs as (the CRI's Image uid and username): a numeric uid when known, else a name, else neither.</summary>
internal sealed record ImageUser(long? Uid, string Username)
{
    public static ImageUser Unknown { get; } = new(null, "");
}
