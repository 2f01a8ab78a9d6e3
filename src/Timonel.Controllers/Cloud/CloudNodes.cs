using k8s.Models;

namespace Timonel.Controllers.Cloud;

/// <summary>What the cloud controllers read of a Node's state.</summary>
public static class CloudNodes
{
    /// <summary>The Ready condition is True (nodeutil.IsNodeReady).</summary>
    public static bool IsReady(V1Node node) =>
        node.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
}
