namespace Timonel.ApiServer.Auth.Node;

/// <summary>The kinds of object the node graph relates to nodes (upstream's vertexType in graph.go).</summary>
public enum VertexType
{
    Pod,
    Secret,
    ConfigMap,
    PersistentVolumeClaim,
    PersistentVolume,
    ServiceAccount,
}
