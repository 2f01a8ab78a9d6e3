namespace Timonel.Agent.NodeAgent;

/// <summary>One pod condition the kubelet owns, as it should be now.</summary>
internal readonly record struct PodConditionState(string Type, bool Status, string? Reason = null, string? Message = null);
