namespace Timonel.ApiServer.Audit;

/// <summary>
/// One rule of a Policy (audit.k8s.io/v1 PolicyRule): the level for requests that match every list it sets (an empty
/// list matches anything).
/// </summary>
public sealed record AuditPolicyRule(AuditLevel Level)
{
    public IReadOnlyList<string> Users { get; init; } = [];

    public IReadOnlyList<string> UserGroups { get; init; } = [];

    public IReadOnlyList<string> Verbs { get; init; } = [];

    public IReadOnlyList<AuditGroupResources> Resources { get; init; } = [];

    /// <summary>Namespaces of resource requests; "" matches cluster-scoped resources.</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    /// <summary>Paths of non-resource requests: exact, "*", or a prefix ending in "*".</summary>
    public IReadOnlyList<string> NonResourceUrls { get; init; } = [];

    public IReadOnlyList<AuditStage> OmitStages { get; init; } = [];

    /// <summary>Overrides the policy's omitManagedFields when set.</summary>
    public bool? OmitManagedFields { get; init; }
}
