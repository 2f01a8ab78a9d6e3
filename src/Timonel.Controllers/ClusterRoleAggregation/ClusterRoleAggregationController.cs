using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Client.Informers;
using Timonel.Client.Objects;

namespace Timonel.Controllers.ClusterRoleAggregation;

/// <summary>
/// Fills every ClusterRole that has an aggregationRule with the rules of the ClusterRoles its selectors match, as
/// kube-controller-manager's clusterrole-aggregation controller does (pkg/controller/clusterroleaggregation): roles in
/// name order per selector, each rule once, the role itself left out. Any ClusterRole change may change any aggregate,
/// so every change queues every aggregated role. Keys are ClusterRole names.
/// </summary>
public sealed class ClusterRoleAggregationController : ControllerBase
{
    private readonly IKubernetes _client;
    private readonly SharedInformer<V1ClusterRole> _clusterRoles;

    public ClusterRoleAggregationController(IKubernetes client, SharedInformer<V1ClusterRole> clusterRoles, TimeProvider time, ILogger<ClusterRoleAggregationController> logger)
        : base(logger, time, [clusterRoles])
    {
        _client = client;
        _clusterRoles = clusterRoles;
        clusterRoles.AddHandlers(new(OnAdd: _ => EnqueueAll(), OnUpdate: (_, _) => EnqueueAll(), OnDelete: _ => EnqueueAll()));
    }

    public override async Task<SyncResult> SyncAsync(string key, CancellationToken cancellationToken)
    {
        if (_clusterRoles.Cache.Get(null, key) is not { AggregationRule: { } aggregation } role)
        {
            return SyncResult.Done;
        }

        var rules = Aggregate(role.Metadata.Name, aggregation, _clusterRoles.Cache.List());
        if (SameRules(rules, role.Rules))
        {
            return SyncResult.Done;
        }

        // The lister's object is shared: write a copy with the new rules; a conflict retries from the cache.
        var updated = new V1ClusterRole
        {
            ApiVersion = "rbac.authorization.k8s.io/v1",
            Kind = "ClusterRole",
            Metadata = role.Metadata,
            AggregationRule = role.AggregationRule,
            Rules = rules,
        };
        await _client.RbacAuthorizationV1.ReplaceClusterRoleAsync(updated, role.Metadata.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
        return SyncResult.Done;
    }

    /// <summary>The union of the rules of every other role a selector matches, selectors in order, roles by name.</summary>
    public static List<V1PolicyRule> Aggregate(string name, V1AggregationRule aggregation, IEnumerable<V1ClusterRole> roles)
    {
        var all = roles.OrderBy(r => r.Metadata.Name, StringComparer.Ordinal).ToList();
        var rules = new List<V1PolicyRule>();
        foreach (var selector in aggregation.ClusterRoleSelectors ?? [])
        {
            foreach (var other in all)
            {
                if (other.Metadata.Name == name || !LabelSelectors.Matches(selector, other.Metadata.Labels))
                {
                    continue;
                }

                foreach (var rule in other.Rules ?? [])
                {
                    if (!rules.Any(r => SameRule(r, rule)))
                    {
                        rules.Add(rule);
                    }
                }
            }
        }

        return rules;
    }

    private void EnqueueAll()
    {
        foreach (var role in _clusterRoles.Cache.List())
        {
            if (role.AggregationRule is not null)
            {
                Enqueue(role.Metadata.Name);
            }
        }
    }

    // equality.Semantic.DeepEqual: an empty list equals none.
    private static bool SameRules(IReadOnlyList<V1PolicyRule> a, IList<V1PolicyRule>? b) =>
        a.Count == (b?.Count ?? 0) && a.Zip(b ?? []).All(p => SameRule(p.First, p.Second));

    private static bool SameRule(V1PolicyRule a, V1PolicyRule b) =>
        Same(a.Verbs, b.Verbs) && Same(a.ApiGroups, b.ApiGroups) && Same(a.Resources, b.Resources)
        && Same(a.ResourceNames, b.ResourceNames) && Same(a.NonResourceURLs, b.NonResourceURLs);

    private static bool Same(IList<string>? a, IList<string>? b) => (a ?? []).SequenceEqual(b ?? [], StringComparer.Ordinal);
}
