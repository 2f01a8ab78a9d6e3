namespace Timonel.ApiServer.Auth.Rbac;

/// <summary>
/// A role of the default policy: a ClusterRole when <see cref="Namespace"/> is null, else a Role there. Labels beyond
/// kubernetes.io/bootstrapping (the aggregate-to-* ones) and an aggregation rule's label selectors are optional.
/// </summary>
public sealed record BootstrapRole(string Name, IReadOnlyList<PolicyRule> Rules, string? Namespace = null)
{
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>matchLabels of each cluster role selector; null for a role without an aggregation rule.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>>? AggregateFrom { get; init; }
}
