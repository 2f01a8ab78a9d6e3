namespace Timonel.Agent.Simulated;

/// <summary>One due step of the agent: a node's registration, Lease renewal or status report, or a pod's sync.</summary>
internal readonly record struct SimulatedWork(SimulatedWorkKind Kind, SimulatedNode? Node = null, SimulatedPod? Pod = null)
{
    public override string ToString() => $"{Kind} {Node?.Name ?? Pod?.Key}";
}
