using k8s.Models;

namespace Timonel.Scheduler.Plugins.PodTopologySpread;

/// <summary>
/// A label selector compiled for the inner loops that count matching pods on every node (apimachinery's
/// labels.Selector): requirements ANDed; <see cref="Nothing"/> (from a null selector) matches no labels, a selector
/// without requirements every labels but <see cref="IsEmpty"/>, and counting skips it as upstream's does.
/// </summary>
internal sealed class SpreadSelector
{
    private readonly (string Key, string Operator, string[] Values)[] _requirements;
    private readonly bool _nothing;

    private SpreadSelector((string, string, string[])[] requirements, bool nothing)
    {
        _requirements = requirements;
        _nothing = nothing;
    }

    public static SpreadSelector Nothing { get; } = new([], nothing: true);

    public bool IsEmpty => !_nothing && _requirements.Length == 0;

    /// <summary>upstream metav1.LabelSelectorAsSelector: null selects nothing.</summary>
    public static SpreadSelector From(V1LabelSelector? selector) =>
        selector is null ? Nothing : new SpreadSelector([], nothing: false).And(selector);

    /// <summary>The labels as equality requirements (upstream labels.SelectorFromSet).</summary>
    public static SpreadSelector FromSet(IDictionary<string, string> labels) =>
        new([.. labels.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, "In", new[] { p.Value }))], nothing: false);

    /// <summary>This selector with the selector's requirements added (upstream's Selector.Add); Nothing stays Nothing.</summary>
    public SpreadSelector And(V1LabelSelector selector)
    {
        if (_nothing)
        {
            return this;
        }

        var added = (selector.MatchLabels ?? new Dictionary<string, string>()).Select(p => (p.Key, "In", new[] { p.Value }))
            .Concat((selector.MatchExpressions ?? []).Select(r => (r.Key, r.OperatorProperty, (r.Values ?? []).ToArray())));
        return new([.. _requirements, .. added], nothing: false);
    }

    /// <summary>This selector with <paramref name="labels"/> as equality requirements (upstream mergeLabelSetWithSelector).</summary>
    public SpreadSelector And(IDictionary<string, string> labels) =>
        _nothing || labels.Count == 0 ? this : new([.. _requirements, .. FromSet(labels)._requirements], nothing: false);

    public bool Matches(IDictionary<string, string>? labels)
    {
        if (_nothing)
        {
            return false;
        }

        foreach (var (key, op, values) in _requirements)
        {
            string? value = null;
            var has = labels is not null && labels.TryGetValue(key, out value);
            var ok = op switch
            {
                "In" => has && Array.IndexOf(values, value) >= 0,
                "NotIn" => !has || Array.IndexOf(values, value) < 0,
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
