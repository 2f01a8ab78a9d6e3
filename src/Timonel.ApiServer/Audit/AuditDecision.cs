namespace Timonel.ApiServer.Audit;

/// <summary>What the policy says of one request: its level, the stages not to write, and whether to drop managedFields.</summary>
public sealed record AuditDecision(AuditLevel Level, IReadOnlySet<AuditStage> OmitStages, bool OmitManagedFields)
{
    public static AuditDecision None { get; } = new(AuditLevel.None, new HashSet<AuditStage>(), false);
}
