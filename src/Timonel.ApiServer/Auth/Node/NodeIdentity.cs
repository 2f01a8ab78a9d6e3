namespace Timonel.ApiServer.Auth.Node;

/// <summary>
/// Which node a user is (upstream's pkg/auth/nodeidentifier, defaultNodeIdentifier): a user in group system:nodes named
/// <c>system:node:&lt;name&gt;</c>. A user outside the group, or named otherwise, is no node.
/// </summary>
public static class NodeIdentity
{
    public const string NodesGroup = "system:nodes";
    public const string UserPrefix = "system:node:";

    /// <summary>
    /// True when <paramref name="user"/> is a node; <paramref name="nodeName"/> is then its name, "" when the name is
    /// missing (an unidentifiable node, which upstream refuses).
    /// </summary>
    public static bool TryGetNodeName(UserInfo? user, out string nodeName)
    {
        nodeName = "";
        if (user is null || !user.Name.StartsWith(UserPrefix, StringComparison.Ordinal) || !user.Groups.Contains(NodesGroup))
        {
            return false;
        }

        nodeName = user.Name[UserPrefix.Length..];
        return true;
    }
}
