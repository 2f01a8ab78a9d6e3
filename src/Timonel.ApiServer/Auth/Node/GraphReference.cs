namespace Timonel.ApiServer.Auth.Node;

/// <summary>One object a pod or persistent volume refers to, by kind, namespace ("" when cluster-scoped) and name.</summary>
public readonly record struct GraphReference(VertexType Type, string Namespace, string Name);
