using k8s.Models;
using Timonel.Client.Objects;

namespace Timonel.Scheduler.Framework;

/// <summary>
/// A pod (anti-)affinity term as the scheduler reads it (upstream framework/types.go AffinityTerm): the namespaces it
/// names (the pod's own when it names none and has no namespaceSelector), its label selector (null matches nothing),
/// its namespace selector (null matches no namespace, empty every one) and its topology key.
/// </summary>
public sealed class AffinityTerm
{
    public AffinityTerm(IReadOnlySet<string> namespaces, V1LabelSelector? selector, V1LabelSelector? namespaceSelector, string topologyKey)
    {
        Namespaces = namespaces;
        Selector = selector;
        NamespaceSelector = namespaceSelector;
        TopologyKey = topologyKey;
    }

    public IReadOnlySet<string> Namespaces { get; }

    public V1LabelSelector? Selector { get; }

    public V1LabelSelector? NamespaceSelector { get; }

    public string TopologyKey { get; }

    /// <summary>Whether the namespace selector is set and not empty (an empty one matches every namespace).</summary>
    public bool HasNonEmptyNamespaceSelector =>
        NamespaceSelector is { } s && ((s.MatchLabels?.Count ?? 0) > 0 || (s.MatchExpressions?.Count ?? 0) > 0);

    /// <summary>upstream newAffinityTerm: no namespaces and no namespace selector mean the pod's own namespace.</summary>
    public static AffinityTerm From(V1Pod pod, V1PodAffinityTerm term)
    {
        IReadOnlySet<string> namespaces = term.Namespaces is { Count: > 0 } named
            ? new HashSet<string>(named, StringComparer.Ordinal)
            : term.NamespaceSelector is null
                ? new HashSet<string>(StringComparer.Ordinal) { pod.Metadata?.NamespaceProperty ?? "" }
                : new HashSet<string>(StringComparer.Ordinal);
        return new(namespaces, term.LabelSelector, term.NamespaceSelector, term.TopologyKey ?? "");
    }

    /// <summary>
    /// Whether <paramref name="pod"/> is in the term's namespaces (or its namespace, whose labels are
    /// <paramref name="namespaceLabels"/>, matches the namespace selector) and its labels match the selector.
    /// </summary>
    public bool Matches(V1Pod pod, IDictionary<string, string>? namespaceLabels) =>
        (Namespaces.Contains(pod.Metadata?.NamespaceProperty ?? "") || (NamespaceSelector is not null && LabelSelectors.Matches(NamespaceSelector, namespaceLabels)))
        && LabelSelectors.Matches(Selector, pod.Metadata?.Labels);

    /// <summary>
    /// The term with the namespaces its non-empty namespace selector selects added to its names and the selector
    /// dropped (upstream mergeAffinityTermNamespacesIfNotEmpty), so matching it needs no namespace labels.
    /// </summary>
    public AffinityTerm WithSelectedNamespaces(IEnumerable<V1Namespace> namespaces)
    {
        if (!HasNonEmptyNamespaceSelector)
        {
            return this;
        }

        var names = new HashSet<string>(Namespaces, StringComparer.Ordinal);
        foreach (var ns in namespaces)
        {
            if (LabelSelectors.Matches(NamespaceSelector, ns.Metadata?.Labels))
            {
                names.Add(ns.Metadata!.Name);
            }
        }

        return new(names, Selector, null, TopologyKey);
    }
}
