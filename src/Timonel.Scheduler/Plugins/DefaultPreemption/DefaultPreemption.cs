using System.Net;
using System.Text.Json;
using k8s.Autorest;
using k8s.Models;
using Timonel.Scheduler.Cache;
using Timonel.Scheduler.Framework;

namespace Timonel.Scheduler.Plugins.DefaultPreemption;

/// <summary>
/// The PostFilter of upstream's default profile (plugins/defaultpreemption and framework/preemption): when no node
/// fits a pod, it looks for nodes where evicting pods of lower priority would make room, picks one, marks the victims
/// with a DisruptionTarget condition, deletes them and nominates the pod to the node; the scheduling queue then keeps
/// that room for it until the victims are gone and it is scheduled there.
/// </summary>
public sealed class DefaultPreemption : IPostFilterPlugin
{
    public const string PluginName = "DefaultPreemption";

    /// <summary>upstream DefaultPreemptionArgs defaults (apis/config/v1 defaults.go).</summary>
    public const int MinCandidateNodesPercentage = 10;

    /// <summary>upstream DefaultPreemptionArgs defaults (apis/config/v1 defaults.go).</summary>
    public const int MinCandidateNodesAbsolute = 100;

    // upstream's messages (framework/preemption/preemption.go and defaultpreemption).
    private const string NotHelpful = "Preemption is not helpful for scheduling";
    private const string NoVictims = "No preemption victims found for incoming pod";

    // upstream v1.DisruptionTarget and v1.PodReasonPreemptionByScheduler.
    private const string DisruptionTarget = "DisruptionTarget";
    private const string PreemptionByScheduler = "PreemptionByScheduler";

    private readonly FrameworkHandle _handle;
    private readonly Random _random;

    /// <param name="random">Where the dry run starts among the nodes (upstream's random offset); seeded in tests.</param>
    public DefaultPreemption(FrameworkHandle handle, Random? random = null)
    {
        _handle = handle;
        _random = random ?? Random.Shared;
    }

    public string Name => PluginName;

    private Snapshot Snapshot => _handle.Snapshot;

    private Framework.Framework Framework => _handle.Framework ?? throw new InvalidOperationException("the handle's framework is not set");

    /// <summary>
    /// upstream calculateNumCandidates: 10 % of the nodes that could help, at least 100, at most all of them.
    /// </summary>
    public static int NumCandidates(int numNodes) =>
        Math.Min(numNodes, Math.Max(numNodes * MinCandidateNodesPercentage / 100, MinCandidateNodesAbsolute));

    /// <summary>
    /// A pod may preempt (upstream PodEligibleToPreemptOthers) unless its preemptionPolicy is Never, or it was
    /// nominated to a node where a lower-priority victim of an earlier preemption is still terminating (it waits for
    /// that room rather than evicting more), unless the filters rejected that node as unresolvable.
    /// </summary>
    public (bool Eligible, string Reason) PodEligibleToPreemptOthers(V1Pod pod, Status nominatedNodeStatus)
    {
        if (pod.Spec?.PreemptionPolicy == "Never")
        {
            return (false, "not eligible due to preemptionPolicy=Never.");
        }

        if (pod.Status?.NominatedNodeName is { Length: > 0 } nominated)
        {
            if (nominatedNodeStatus.Code == Code.UnschedulableAndUnresolvable)
            {
                return (true, "");
            }

            var priority = PodPriority.Of(pod);
            if (Snapshot.Get(nominated) is { } node && node.Pods.Any(p => PodPriority.Of(p.Pod) < priority && IsTerminatingByPreemption(p.Pod)))
            {
                return (false, "not eligible due to a terminating pod on the nominated node.");
            }
        }

        return (true, "");
    }

    public (string? NominatedNodeName, Status Status) PostFilter(CycleState state, PodInfo pod, NodeToStatus filteredNodeStatus)
    {
        var (nominated, status) = Preempt(state, pod, filteredNodeStatus);

        // upstream's PostFilter prefixes the evaluator's message.
        return (nominated, status.Reasons.Count > 0 && status.Message.Length > 0 ? Status.New(status.Code, "preemption: " + status.Message) : status);
    }

    /// <summary>
    /// The nodes worth a dry run are those a filter rejected as Unschedulable (evicting pods could help), not
    /// UnschedulableAndUnresolvable; starting at a random one, each is dry-run until enough candidates are found
    /// (upstream findCandidates and DryRunPreemption). Candidates that violate no budget come first.
    /// </summary>
    public (List<Candidate> Candidates, NodeToStatus Statuses) FindCandidates(CycleState state, PodInfo pod, NodeToStatus filteredNodeStatus)
    {
        var statuses = new NodeToStatus();
        var potential = Snapshot.NodeInfoList.Where(n => filteredNodeStatus.Get(n.Name).Code == Code.Unschedulable).ToList();
        if (potential.Count == 0)
        {
            return ([], statuses);
        }

        var pdbs = _handle.PodDisruptionBudgets?.Invoke() ?? [];
        var offset = _random.Next(potential.Count);
        var numCandidates = NumCandidates(potential.Count);
        var nonViolating = new List<Candidate>();
        var violating = new List<Candidate>();
        for (var i = 0; i < potential.Count; i++)
        {
            var node = potential[(offset + i) % potential.Count];
            var (victims, numViolations, status) = SelectVictimsOnNode(state.Clone(), pod, node.Snapshot(), pdbs);
            if (status.IsSuccess && victims.Count > 0)
            {
                (numViolations == 0 ? nonViolating : violating).Add(new Candidate(node.Name, victims, numViolations));
                if (nonViolating.Count > 0 && nonViolating.Count + violating.Count >= numCandidates)
                {
                    break;
                }

                continue;
            }

            if (status.IsSuccess)
            {
                status = Status.AsStatus(new InvalidOperationException($"expected at least one victim pod on node \"{node.Name}\""));
            }

            statuses.Set(node.Name, status);
        }

        // upstream keeps at most numCandidates of each kind.
        return ([.. nonViolating.Take(numCandidates), .. violating.Take(numCandidates)], statuses);
    }

    /// <summary>
    /// The fewest pods to evict from <paramref name="node"/> (a copy) for the pod to fit (upstream
    /// selectVictimsOnNode): all pods of lower priority are removed and the pod must then pass the filters; then,
    /// from the most important down, each is put back if the pod still fits, first those whose eviction a budget
    /// forbids, then the others. Answers the victims, most important first, and how many of them violate a budget.
    /// </summary>
    public (List<PodInfo> Victims, int NumPdbViolations, Status Status) SelectVictimsOnNode(CycleState state, PodInfo pod, NodeInfo node, IReadOnlyList<V1PodDisruptionBudget> pdbs)
    {
        var priority = PodPriority.Of(pod.Pod);
        var potential = node.Pods.Where(p => PodPriority.Of(p.Pod) < priority).ToList();
        if (potential.Count == 0)
        {
            return ([], 0, Status.UnschedulableAndUnresolvable(NoVictims));
        }

        foreach (var victim in potential)
        {
            node.RemovePod(victim.Pod);
            var removed = Framework.RunPreFilterExtensionRemovePod(state, pod, victim, node);
            if (!removed.IsSuccess)
            {
                return ([], 0, removed);
            }
        }

        // Not fitting even without every lower-priority pod: this node cannot help (affinity to a victim is not
        // considered, as upstream).
        var fits = Framework.RunFilterPluginsWithNominatedPods(state, pod, node);
        if (!fits.IsSuccess)
        {
            return ([], 0, fits);
        }

        var now = _handle.Time.GetUtcNow().UtcDateTime;
        potential.Sort((a, b) => PodPriority.CompareImportance(a.Pod, b.Pod, now));
        var (violatingPods, nonViolatingPods) = PdbViolations.Split(potential, pdbs);
        var victims = new List<PodInfo>();
        var numViolating = 0;
        foreach (var (group, violates) in new[] { (violatingPods, true), (nonViolatingPods, false) })
        {
            foreach (var candidate in group)
            {
                node.AddPod(candidate);
                var added = Framework.RunPreFilterExtensionAddPod(state, pod, candidate, node);
                if (!added.IsSuccess)
                {
                    return ([], 0, added);
                }

                if (Framework.RunFilterPluginsWithNominatedPods(state, pod, node).IsSuccess)
                {
                    continue;
                }

                node.RemovePod(candidate.Pod);
                var removed = Framework.RunPreFilterExtensionRemovePod(state, pod, candidate, node);
                if (!removed.IsSuccess)
                {
                    return ([], 0, removed);
                }

                victims.Add(candidate);
                numViolating += violates ? 1 : 0;
            }
        }

        if (violatingPods.Count != 0 && nonViolatingPods.Count != 0)
        {
            victims.Sort((a, b) => PodPriority.CompareImportance(a.Pod, b.Pod, now));
        }

        return (victims, numViolating, Status.Success);
    }

    // upstream podTerminatingByPreemption.
    private static bool IsTerminatingByPreemption(V1Pod pod) =>
        pod.Metadata.DeletionTimestamp is not null
        && pod.Status?.Conditions?.FirstOrDefault(c => c.Type == DisruptionTarget) is { Status: "True", Reason: PreemptionByScheduler };

    private static bool IsNotFound(Exception ex) => ex is HttpOperationException { Response.StatusCode: HttpStatusCode.NotFound };

    // upstream Evaluator.Preempt, with upstream's answers: null leaves the pod's nomination as it is, "" clears it.
    private (string? NominatedNodeName, Status Status) Preempt(CycleState state, PodInfo pod, NodeToStatus filteredNodeStatus)
    {
        var nominatedStatus = pod.Pod.Status?.NominatedNodeName is { Length: > 0 } nominated ? filteredNodeStatus.Get(nominated) : filteredNodeStatus.AbsentNodesStatus;
        var (eligible, reason) = PodEligibleToPreemptOthers(pod.Pod, nominatedStatus);
        if (!eligible)
        {
            return (null, Status.Unschedulable(reason));
        }

        var allNodes = Snapshot.NodeInfoList.Count;
        if (allNodes == 0)
        {
            return (null, Status.AsStatus(new InvalidOperationException("no nodes available")));
        }

        var (candidates, statuses) = FindCandidates(state, pod, filteredNodeStatus);
        if (candidates.Count == 0)
        {
            if (statuses.Explicit.Values.FirstOrDefault(s => s.Code == Code.Error) is { } error)
            {
                return (null, error);
            }

            var diagnosis = new Diagnosis();
            foreach (var (name, status) in statuses.Explicit)
            {
                diagnosis.NodeToStatus.Set(name, status);
            }

            diagnosis.NodeToStatus.AbsentNodesStatus = Status.UnschedulableAndUnresolvable(NotHelpful);
            return ("", Status.Unschedulable(FitError.Format(allNodes, diagnosis)));
        }

        var best = NodeForPreemption.Pick(candidates, _handle.Time.GetUtcNow().UtcDateTime);
        if (best is null || best.Name.Length == 0)
        {
            return (null, Status.Unschedulable("no candidate node for preemption"));
        }

        var prepared = PrepareCandidate(best, pod.Pod);
        return prepared.IsSuccess ? (best.Name, Status.Success) : (null, prepared);
    }

    /// <summary>
    /// upstream prepareCandidate: evicts the victims (a DisruptionTarget condition, then the deletion, then a
    /// Preempted event on each) and clears the nomination of lower-priority pods nominated to the node, which may no
    /// longer fit there. The scheduling cycle waits for these writes, as upstream's synchronous preemption does.
    /// </summary>
    private Status PrepareCandidate(Candidate candidate, V1Pod preemptor)
    {
        var victims = candidate.Victims.Where(v => v.Pod.Metadata.DeletionTimestamp is null).ToList();
        try
        {
            Task.WhenAll(victims.Select(v => PreemptPodAsync(candidate.Name, preemptor, v.Pod))).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Status.AsStatus(ex);
        }

        var priority = PodPriority.Of(preemptor);
        var lower = _handle.Nominator.NominatedPodsForNode(candidate.Name)
            .Where(p => PodPriority.Of(p.Pod) < priority && !string.IsNullOrEmpty(p.Pod.Status?.NominatedNodeName))
            .ToList();
        foreach (var other in lower)
        {
            // Not critical (upstream logs it): the pod finds another place once the room is taken anyway.
            _ = _handle.Api.PatchPodStatusAsync(other.Pod.Metadata.NamespaceProperty, other.Pod.Metadata.Name, """{"status":{"nominatedNodeName":null}}""", CancellationToken.None)
                .ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }

        return Status.Success;
    }

    // upstream's Evaluator.PreemptPod.
    private async Task PreemptPodAsync(string nodeName, V1Pod preemptor, V1Pod victim)
    {
        var ns = victim.Metadata.NamespaceProperty;
        var name = victim.Metadata.Name;
        var message = $"{preemptor.Spec?.SchedulerName ?? DefaultProfile.SchedulerName}: preempting to accommodate a higher priority pod";
        var existing = victim.Status?.Conditions?.FirstOrDefault(c => c.Type == DisruptionTarget);
        if (existing is not { Status: "True", Reason: PreemptionByScheduler } || existing.Message != message)
        {
            var condition = new Dictionary<string, object?>
            {
                ["type"] = DisruptionTarget,
                ["status"] = "True",
                ["lastProbeTime"] = null,
                ["lastTransitionTime"] = _handle.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                ["reason"] = PreemptionByScheduler,
                ["message"] = message,
            };
            var patch = JsonSerializer.Serialize(new { status = new { conditions = new[] { condition } } });
            try
            {
                await _handle.Api.PatchPodStatusAsync(ns, name, patch, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsNotFound(ex))
            {
                return;
            }
        }

        if (!await _handle.Api.DeletePodAsync(ns, name, CancellationToken.None).ConfigureAwait(false))
        {
            return;
        }

        _handle.Events?.Eventf(victim, preemptor, "Normal", "Preempted", "Preempting", $"Preempted by pod {preemptor.Metadata.Uid} on node {nodeName}");
    }
}
