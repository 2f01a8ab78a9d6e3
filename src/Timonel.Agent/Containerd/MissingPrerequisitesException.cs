namespace Timonel.Agent.Containerd;

/// <summary>The machine lacks what the node agent needs; the message says what to install.</summary>
public sealed class MissingPrerequisitesException(string message) : InvalidOperationException(message);
