using k8s.Models;

namespace Timonel.Controllers.Deployment;

/// <summary>controller.ReplicaSetsByCreationTimestamp: oldest first, ties by name.</summary>
internal sealed class ByCreation : IComparer<V1ReplicaSet>
{
    public static readonly ByCreation Instance = new();

    public int Compare(V1ReplicaSet? x, V1ReplicaSet? y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var cx = x.Metadata.CreationTimestamp ?? DateTime.MinValue;
        var cy = y.Metadata.CreationTimestamp ?? DateTime.MinValue;
        return cx != cy ? cx.CompareTo(cy) : string.CompareOrdinal(x.Metadata.Name, y.Metadata.Name);
    }
}
