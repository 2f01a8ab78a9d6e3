namespace Timonel.Agent.Simulated;

internal enum SimulatedWorkKind
{
    RegisterNode,
    RenewLease,
    ReportNodeStatus,
    SyncPod,
}
