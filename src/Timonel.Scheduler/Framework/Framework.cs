using System.Collections.Concurrent;

namespace Timonel.Scheduler.Framework;

/// <summary>
/// Runs a profile's plugins at each extension point, in the profile's order, with upstream's semantics
/// (framework/runtime/framework.go): the first rejection ends PreFilter, Filter, Reserve and Permit; Skip from
/// PreFilter or PreScore skips the plugin's Filter or Score; scores are normalized, checked within [0, 100] and
/// multiplied by the plugin's weight.
/// </summary>
public sealed class Framework
{
    /// <summary>upstream's maxTimeout for a Permit plugin's Wait.</summary>
    private static readonly TimeSpan _maxPermitTimeout = TimeSpan.FromMinutes(15);

    private readonly IPreFilterPlugin[] _preFilter;
    private readonly IFilterPlugin[] _filter;
    private readonly IPostFilterPlugin[] _postFilter;
    private readonly IPreScorePlugin[] _preScore;
    private readonly (IScorePlugin Plugin, int Weight)[] _score;
    private readonly IReservePlugin[] _reserve;
    private readonly IPermitPlugin[] _permit;
    private readonly IPreBindPlugin[] _preBind;
    private readonly IBindPlugin[] _bind;
    private readonly IPreFilterExtensions[] _preFilterExtensions;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, WaitingPod> _waitingPods = new(StringComparer.Ordinal);

    /// <param name="plugins">The profile's plugins, in the order each extension point runs them.</param>
    /// <param name="scoreWeights">Each score plugin's weight (1 when not named).</param>
    /// <param name="nominator">The pods nominated by preemption, counted when filtering (none when null).</param>
    public Framework(IReadOnlyList<IPlugin> plugins, IReadOnlyDictionary<string, int> scoreWeights, TimeProvider time, PodNominator? nominator = null)
    {
        _time = time;
        Nominator = nominator ?? new PodNominator();
        QueueSort = plugins.OfType<IQueueSortPlugin>().FirstOrDefault() ?? throw new ArgumentException("a profile needs a queue sort plugin", nameof(plugins));
        _preFilter = [.. plugins.OfType<IPreFilterPlugin>()];
        _filter = [.. plugins.OfType<IFilterPlugin>()];
        _postFilter = [.. plugins.OfType<IPostFilterPlugin>()];
        _preScore = [.. plugins.OfType<IPreScorePlugin>()];
        _score = [.. plugins.OfType<IScorePlugin>().Select(p => (p, scoreWeights.GetValueOrDefault(p.Name, 1)))];
        _reserve = [.. plugins.OfType<IReservePlugin>()];
        _permit = [.. plugins.OfType<IPermitPlugin>()];
        _preBind = [.. plugins.OfType<IPreBindPlugin>()];
        _bind = [.. plugins.OfType<IBindPlugin>()];
        _preFilterExtensions = [.. plugins.OfType<IPreFilterExtensions>()];
        EventsToRegister = plugins.OfType<IEnqueueExtensions>()
            .ToDictionary(p => ((IPlugin)p).Name, p => p.EventsToRegister(), StringComparer.Ordinal);
    }

    public IQueueSortPlugin QueueSort { get; }

    public bool HasFilterPlugins => _filter.Length > 0;

    public bool HasPostFilterPlugins => _postFilter.Length > 0;

    public PodNominator Nominator { get; }

    public bool HasScorePlugins => _score.Length > 0;

    /// <summary>The events each plugin registered, by plugin name, for the scheduling queue.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ClusterEvent>> EventsToRegister { get; }

    /// <summary>
    /// Runs the PreFilter plugins. Answers the nodes they let through (null: all) and, when the pod cannot go on, the
    /// rejection (reported for every node) or error.
    /// </summary>
    public (PreFilterResult? Result, Status Status, IReadOnlyList<string> PluginsWithNodes) RunPreFilterPlugins(CycleState state, PodInfo pod)
    {
        PreFilterResult? result = null;
        var pluginsWithNodes = new List<string>();
        foreach (var plugin in _preFilter)
        {
            var (narrowed, status) = plugin.PreFilter(state, pod);
            if (status.IsSkip)
            {
                state.SkipFilterPlugins.Add(plugin.Name);
                continue;
            }

            if (!status.IsSuccess)
            {
                return (null, status.IsRejected ? status.WithPlugin(plugin.Name) : Wrap($"running PreFilter plugin \"{plugin.Name}\"", status, plugin.Name), pluginsWithNodes);
            }

            if (narrowed is null || narrowed.AllNodes)
            {
                continue;
            }

            result = narrowed.Merge(result);
            pluginsWithNodes.Add(plugin.Name);
            if (result.NodeNames!.Count == 0)
            {
                // upstream RunPreFilterPlugins: the nodes left out count as UnschedulableAndUnresolvable.
                var message = pluginsWithNodes.Count == 1
                    ? $"node(s) didn't satisfy plugin {pluginsWithNodes[0]}"
                    : $"node(s) didn't satisfy plugin(s) [{string.Join(" ", pluginsWithNodes)}] simultaneously";
                return (result, Status.UnschedulableAndUnresolvable(message), pluginsWithNodes);
            }
        }

        state.FiltersToRun = FiltersToRun(state);
        return (result, Status.Success, pluginsWithNodes);
    }

    /// <summary>Runs the Filter plugins on one node; answers the first failure, with its plugin.</summary>
    public Status RunFilterPlugins(CycleState state, PodInfo pod, NodeInfo node)
    {
        foreach (var plugin in state.FiltersToRun ?? FiltersToRun(state))
        {
            var status = plugin.Filter(state, pod, node);
            if (!status.IsSuccess)
            {
                return status.IsRejected ? status.WithPlugin(plugin.Name) : Wrap($"running \"{plugin.Name}\" filter plugin", status, plugin.Name);
            }
        }

        return Status.Success;
    }

    /// <summary>
    /// Runs the Filter plugins counting the pods nominated to the node (upstream RunFilterPluginsWithNominatedPods):
    /// first with the nominated pods of higher or equal priority added, as the pod must not take the room freed for
    /// them, then, when that passed and some were added, without them, as filters such as pod affinity could pass
    /// only with them and they may still land elsewhere.
    /// </summary>
    public Status RunFilterPluginsWithNominatedPods(CycleState state, PodInfo pod, NodeInfo node)
    {
        if (Nominator.IsEmpty)
        {
            return RunFilterPlugins(state, pod, node);
        }

        var (added, stateWithPods, nodeWithPods, error) = AddHigherOrEqualNominatedPods(state, pod, node);
        if (error is not null)
        {
            return error;
        }

        if (!added)
        {
            return RunFilterPlugins(state, pod, node);
        }

        var status = RunFilterPlugins(stateWithPods, pod, nodeWithPods);
        return status.IsSuccess ? RunFilterPlugins(state, pod, node) : status;
    }

    /// <summary>Tells the PreFilter extensions that <paramref name="podToAdd"/> joined the node (upstream RunPreFilterExtensionAddPod).</summary>
    public Status RunPreFilterExtensionAddPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node) =>
        RunPreFilterExtensions(state, "AddPod", plugin => plugin.AddPod(state, podToSchedule, podToAdd, node));

    /// <summary>Tells the PreFilter extensions that <paramref name="podToRemove"/> left the node (upstream RunPreFilterExtensionRemovePod).</summary>
    public Status RunPreFilterExtensionRemovePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node) =>
        RunPreFilterExtensions(state, "RemovePod", plugin => plugin.RemovePod(state, podToSchedule, podToRemove, node));

    /// <summary>
    /// Runs the PostFilter plugins after no node fit: the first success ends them; otherwise the rejection reasons of
    /// all are joined, attributed to the first plugin that rejected.
    /// </summary>
    public (string? NominatedNodeName, Status Status) RunPostFilterPlugins(CycleState state, PodInfo pod, NodeToStatus filteredNodeStatus)
    {
        var reasons = new List<string>();
        string? rejector = null;

        // The last nomination a rejecting plugin asked for (upstream keeps its last non-Noop result).
        string? lastNominated = null;
        foreach (var plugin in _postFilter)
        {
            var (nominated, status) = plugin.PostFilter(state, pod, filteredNodeStatus);
            if (status.IsSuccess || status.Code == Code.UnschedulableAndUnresolvable)
            {
                return (nominated, status.WithPlugin(plugin.Name));
            }

            if (!status.IsRejected)
            {
                return (null, Wrap($"running PostFilter plugin \"{plugin.Name}\"", status, plugin.Name));
            }

            lastNominated = nominated ?? lastNominated;
            reasons.AddRange(status.Reasons);
            rejector ??= plugin.Name;
        }

        var result = Status.Unschedulable([.. reasons]);
        return (lastNominated, rejector is null ? result : result.WithPlugin(rejector));
    }

    public Status RunPreScorePlugins(CycleState state, PodInfo pod, IReadOnlyList<NodeInfo> nodes)
    {
        foreach (var plugin in _preScore)
        {
            var status = plugin.PreScore(state, pod, nodes);
            if (status.IsSkip)
            {
                state.SkipScorePlugins.Add(plugin.Name);
            }
            else if (!status.IsSuccess)
            {
                return Wrap($"running PreScore plugin \"{plugin.Name}\"", status, plugin.Name);
            }
        }

        return Status.Success;
    }

    /// <summary>
    /// Scores every node with every Score plugin not skipped, normalizes, weighs and sums: the nodes' total scores, in
    /// the order of <paramref name="nodes"/>.
    /// </summary>
    public (long[] Totals, Status Status) RunScorePlugins(CycleState state, PodInfo pod, IReadOnlyList<NodeInfo> nodes, bool parallel)
    {
        var plugins = _score.Where(p => !state.SkipScorePlugins.Contains(p.Plugin.Name)).ToArray();
        var scores = plugins.Select(_ => new NodeScore[nodes.Count]).ToArray();
        Status? failure = null;
        void ScoreNode(int n)
        {
            for (var p = 0; p < plugins.Length; p++)
            {
                var (score, status) = plugins[p].Plugin.Score(state, pod, nodes[n]);
                if (!status.IsSuccess)
                {
                    Interlocked.CompareExchange(ref failure, Wrap($"running Score plugin \"{plugins[p].Plugin.Name}\"", status, plugins[p].Plugin.Name), null);
                    return;
                }

                scores[p][n] = new NodeScore(nodes[n].Name, score);
            }
        }

        if (parallel)
        {
            Parallel.For(0, nodes.Count, ScoreNode);
        }
        else
        {
            for (var n = 0; n < nodes.Count; n++)
            {
                ScoreNode(n);
            }
        }

        if (failure is not null)
        {
            return ([], failure);
        }

        var totals = new long[nodes.Count];
        for (var p = 0; p < plugins.Length; p++)
        {
            var (plugin, weight) = plugins[p];
            if (plugin.ScoreExtensions is { } extensions)
            {
                var status = extensions.NormalizeScore(state, pod, scores[p]);
                if (!status.IsSuccess)
                {
                    return ([], Wrap($"running Normalize on Score plugin \"{plugin.Name}\"", status, plugin.Name));
                }
            }

            for (var n = 0; n < nodes.Count; n++)
            {
                var score = scores[p][n].Score;
                if (score is < 0 or > IScorePlugin.MaxNodeScore)
                {
                    return ([], Status.AsStatus(new InvalidOperationException(
                        $"plugin \"{plugin.Name}\" returns an invalid score {score}, it should in the range of [0, {IScorePlugin.MaxNodeScore}] after normalizing")));
                }

                totals[n] += score * weight;
            }
        }

        return (totals, Status.Success);
    }

    public Status RunReservePluginsReserve(CycleState state, PodInfo pod, string nodeName)
    {
        foreach (var plugin in _reserve)
        {
            var status = plugin.Reserve(state, pod, nodeName);
            if (!status.IsSuccess)
            {
                return status.IsRejected ? status.WithPlugin(plugin.Name) : Wrap($"running Reserve plugin \"{plugin.Name}\"", status, plugin.Name);
            }
        }

        return Status.Success;
    }

    /// <summary>Undoes Reserve, in reverse order (upstream RunReservePluginsUnreserve).</summary>
    public void RunReservePluginsUnreserve(CycleState state, PodInfo pod, string nodeName)
    {
        for (var i = _reserve.Length - 1; i >= 0; i--)
        {
            _reserve[i].Unreserve(state, pod, nodeName);
        }
    }

    /// <summary>
    /// Runs the Permit plugins: a rejection ends them; when some answer Wait, the pod is held (Wait is answered) until
    /// they allow it or a timeout rejects it.
    /// </summary>
    public Status RunPermitPlugins(CycleState state, PodInfo pod, string nodeName)
    {
        var waiting = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (var plugin in _permit)
        {
            var (status, timeout) = plugin.Permit(state, pod, nodeName);
            if (status.IsWait)
            {
                waiting[plugin.Name] = timeout > _maxPermitTimeout ? _maxPermitTimeout : timeout;
            }
            else if (!status.IsSuccess)
            {
                return status.IsRejected ? status.WithPlugin(plugin.Name) : Wrap($"running Permit plugin \"{plugin.Name}\"", status, plugin.Name);
            }
        }

        if (waiting.Count == 0)
        {
            return Status.Success;
        }

        var waitingPod = new WaitingPod(pod, waiting.Keys);
        _waitingPods[pod.Key] = waitingPod;
        foreach (var (plugin, timeout) in waiting)
        {
            var timer = _time.CreateTimer(
                _ => waitingPod.Reject(plugin, $"rejected due to timeout after waiting {timeout.TotalSeconds}s at plugin {plugin}"),
                null,
                timeout,
                Timeout.InfiniteTimeSpan);
            _ = waitingPod.Result.ContinueWith(_ => timer.Dispose(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }

        return Status.New(Code.Wait);
    }

    /// <summary>The pod held by Permit plugins, or null (for a plugin to allow or reject it).</summary>
    public WaitingPod? GetWaitingPod(string podKey) => _waitingPods.GetValueOrDefault(podKey);

    /// <summary>Waits until the pod's Permit plugins allow or reject it; success at once when none held it.</summary>
    public async Task<Status> WaitOnPermitAsync(PodInfo pod)
    {
        if (!_waitingPods.TryGetValue(pod.Key, out var waiting))
        {
            return Status.Success;
        }

        try
        {
            return await waiting.Result.ConfigureAwait(false);
        }
        finally
        {
            _waitingPods.TryRemove(pod.Key, out _);
        }
    }

    /// <summary>Runs the PreBind plugins in order; the first that does not succeed (or skip) ends them (upstream RunPreBindPlugins).</summary>
    public async Task<Status> RunPreBindPluginsAsync(CycleState state, PodInfo pod, string nodeName, CancellationToken cancellationToken)
    {
        foreach (var plugin in _preBind)
        {
            var status = await plugin.PreBindAsync(state, pod, nodeName, cancellationToken).ConfigureAwait(false);
            if (!status.IsSuccess && !status.IsSkip)
            {
                return status.IsRejected ? status.WithPlugin(plugin.Name) : Wrap($"running PreBind plugin \"{plugin.Name}\"", status, plugin.Name);
            }
        }

        return Status.Success;
    }

    /// <summary>Runs the Bind plugins until one does not answer Skip.</summary>
    public async Task<Status> RunBindPluginsAsync(CycleState state, PodInfo pod, string nodeName, CancellationToken cancellationToken)
    {
        foreach (var plugin in _bind)
        {
            var status = await plugin.BindAsync(state, pod, nodeName, cancellationToken).ConfigureAwait(false);
            if (status.IsSkip)
            {
                continue;
            }

            if (!status.IsSuccess)
            {
                return status.IsRejected ? status.WithPlugin(plugin.Name) : Wrap($"running Bind plugin \"{plugin.Name}\"", status, plugin.Name);
            }

            return status;
        }

        return Status.Skip;
    }

    // upstream addGENominatedPods: a copy of the node and the state with the nominated pods that outrank or equal the pod.
    private (bool Added, CycleState State, NodeInfo Node, Status? Error) AddHigherOrEqualNominatedPods(CycleState state, PodInfo pod, NodeInfo node)
    {
        var nominated = Nominator.NominatedPodsForNode(node.Name);
        if (nominated.Count == 0)
        {
            return (false, state, node, null);
        }

        var priority = pod.Pod.Spec?.Priority ?? 0;
        NodeInfo? nodeOut = null;
        CycleState? stateOut = null;
        foreach (var other in nominated)
        {
            if ((other.Pod.Spec?.Priority ?? 0) < priority || other.Key == pod.Key)
            {
                continue;
            }

            nodeOut ??= node.Snapshot();
            stateOut ??= state.Clone();
            nodeOut.AddPod(other);
            var status = RunPreFilterExtensionAddPod(stateOut, pod, other, nodeOut);
            if (!status.IsSuccess)
            {
                return (false, state, node, status);
            }
        }

        return nodeOut is null ? (false, state, node, null) : (true, stateOut!, nodeOut, null);
    }

    private Status RunPreFilterExtensions(CycleState state, string extension, Func<IPreFilterExtensions, Status> run)
    {
        foreach (var plugin in _preFilterExtensions)
        {
            if (state.SkipFilterPlugins.Contains(plugin.Name))
            {
                continue;
            }

            var status = run(plugin);
            if (!status.IsSuccess)
            {
                return Wrap($"running {extension} on PreFilter plugin \"{plugin.Name}\"", status, plugin.Name);
            }
        }

        return Status.Success;
    }

    private IFilterPlugin[] FiltersToRun(CycleState state) =>
        state.SkipFilterPlugins.Count == 0 ? _filter : [.. _filter.Where(p => !state.SkipFilterPlugins.Contains(p.Name))];

    // upstream wraps a plugin's error as fmt.Errorf("running ... plugin %q: %w", ...).
    private static Status Wrap(string context, Status status, string plugin) =>
        Status.AsStatus(new InvalidOperationException($"{context}: {status.Message}", status.Error)).WithPlugin(plugin);
}
