using System.Collections.Concurrent;
using System.Text.Json;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Client.Events;
using Timonel.Scheduler.Cache;
using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Queue;

namespace Timonel.Scheduler;

/// <summary>
/// The scheduling loop (upstream schedule_one.go): one scheduling cycle at a time pops a pod, updates the snapshot,
/// runs the algorithm, assumes the pod on the chosen node, runs Reserve and Permit, and hands the pod to a binding
/// cycle that runs in the background (WaitOnPermit, Bind). A failure records the PodScheduled=False condition and a
/// FailedScheduling event, and puts the pod back in the queue.
/// </summary>
internal sealed class Scheduler
{
    private readonly Framework.Framework _framework;
    private readonly SchedulingQueue _queue;
    private readonly SchedulerCache _cache;
    private readonly Snapshot _snapshot;
    private readonly SchedulingAlgorithm _algorithm;
    private readonly ISchedulerApi _api;
    private readonly IEventsV1Recorder _events;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<V1Pod, V1Pod?> _currentPod;
    private readonly ConcurrentDictionary<Task, byte> _inFlight = new();

    /// <summary>A failure's nominated node that clears the pod's nomination (upstream's clearNominatedNode).</summary>
    private const string ClearNominatedNode = "";

    /// <param name="currentPod">The pod as the informer has it now (null once deleted), checked before requeueing a failure.</param>
    public Scheduler(
        Framework.Framework framework,
        SchedulingQueue queue,
        SchedulerCache cache,
        Snapshot snapshot,
        SchedulingAlgorithm algorithm,
        ISchedulerApi api,
        IEventsV1Recorder events,
        TimeProvider time,
        ILogger logger,
        Func<V1Pod, V1Pod?> currentPod,
        SchedulerMetrics? metrics = null)
    {
        Metrics = metrics ?? new SchedulerMetrics();
        _framework = framework;
        _queue = queue;
        _cache = cache;
        _snapshot = snapshot;
        _algorithm = algorithm;
        _api = api;
        _events = events;
        _time = time;
        _logger = logger;
        _currentPod = currentPod;
    }

    public SchedulerMetrics Metrics { get; }

    /// <summary>Called when a binding ends (success or not), with the pod and node, for measurements.</summary>
    public Action<PodInfo, string, Status>? BindingDone { get; set; }

    /// <summary>Schedules pods until cancelled or the queue closes.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (await _queue.PopAsync(cancellationToken).ConfigureAwait(false) is { } pod)
        {
            try
            {
                ScheduleOne(pod, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogError(ex, "scheduling {Pod} failed", pod.Key);
            }
        }
    }

    /// <summary>Waits for the binding cycles and API writes started so far.</summary>
    public Task WhenIdleAsync() => Task.WhenAll(_inFlight.Keys);

    /// <summary>One scheduling cycle; the binding cycle it starts is tracked by <see cref="WhenIdleAsync"/>.</summary>
    public void ScheduleOne(QueuedPodInfo queued, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            SchedulingCycle(queued, cancellationToken);
        }
        finally
        {
            Metrics.CycleDone(started);
        }
    }

    private void SchedulingCycle(QueuedPodInfo queued, CancellationToken cancellationToken)
    {
        var pod = queued.PodInfo;
        if (SkipPodSchedule(pod.Pod))
        {
            return;
        }

        var podCycle = _queue.SchedulingCycle;
        _cache.UpdateSnapshot(_snapshot);
        var state = new CycleState();
        ScheduleResult result;
        try
        {
            result = _algorithm.SchedulePod(state, pod);
        }
        catch (FitError fitError)
        {
            // The PostFilter (preemption) answers the node the pod is nominated to: null leaves the nomination as
            // it is, "" clears it (upstream's NominatingInfo modes Noop and Override).
            string? nominated = null;
            if (_framework.HasPostFilterPlugins)
            {
                var (nominatedNode, postFilter) = _framework.RunPostFilterPlugins(state, pod, fitError.Diagnosis.NodeToStatus);
                fitError.Diagnosis.PostFilterMessage = postFilter.Message;
                nominated = nominatedNode;
            }

            var message = FitError.Format(fitError.NumAllNodes, fitError.Diagnosis);
            HandleSchedulingFailure(queued, Status.Unschedulable(message), fitError.Diagnosis.UnschedulablePlugins, podCycle, nominated);
            return;
        }
        catch (NoNodesAvailableException noNodes)
        {
            HandleSchedulingFailure(queued, Status.UnschedulableAndUnresolvable(noNodes.Message), [], podCycle, ClearNominatedNode);
            return;
        }
        catch (SchedulingException error)
        {
            HandleSchedulingFailure(queued, error.Status, [], podCycle, ClearNominatedNode);
            return;
        }

        var host = result.SuggestedHost;
        _cache.AssumePod(pod, host);

        // upstream assume: the pod placed no longer holds room on the node it was nominated to.
        _framework.Nominator.Delete(pod.Pod);
        var reserve = _framework.RunReservePluginsReserve(state, pod, host);
        var permit = reserve.IsSuccess ? _framework.RunPermitPlugins(state, pod, host) : reserve;
        if (!permit.IsSuccess && !permit.IsWait)
        {
            _framework.RunReservePluginsUnreserve(state, pod, host);
            _cache.ForgetPod(pod.Pod);
            HandleSchedulingFailure(queued, permit, permit.Plugin is { } plugin ? [plugin] : [], podCycle, ClearNominatedNode);
            return;
        }

        Track(BindingCycleAsync(queued, state, host, podCycle, cancellationToken));
    }

    private async Task BindingCycleAsync(QueuedPodInfo queued, CycleState state, string host, long podCycle, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var pod = queued.PodInfo;
        var status = await _framework.WaitOnPermitAsync(pod).ConfigureAwait(false);
        if (status.IsSuccess)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            status = await _framework.RunPreBindPluginsAsync(state, pod, host, cancellationToken).ConfigureAwait(false);
            if (status.IsSuccess)
            {
                status = await _framework.RunBindPluginsAsync(state, pod, host, cancellationToken).ConfigureAwait(false);
            }

            Metrics.BindingDone(started);
            _cache.FinishBinding(pod.Pod);
        }

        BindingDone?.Invoke(pod, host, status);
        if (status.IsSuccess)
        {
            _events.Eventf(pod.Pod, null, "Normal", "Scheduled", "Binding", $"Successfully assigned {pod.Pod.Metadata.NamespaceProperty}/{pod.Pod.Metadata.Name} to {host}");
            return;
        }

        _framework.RunReservePluginsUnreserve(state, pod, host);
        _cache.ForgetPod(pod.Pod);

        // The node the pod was assumed on has room again.
        _queue.MoveAllToActiveOrBackoffQueue(ClusterEvent.AssignedPodDelete);
        HandleSchedulingFailure(queued, status, status.IsRejected && status.Plugin is { } plugin ? [plugin] : [], podCycle, ClearNominatedNode);
    }

    // upstream skipPodSchedule: a pod being deleted, or already assumed, is not scheduled.
    private bool SkipPodSchedule(V1Pod pod)
    {
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            _events.Eventf(pod, null, "Warning", "FailedScheduling", "Scheduling", $"skip schedule deleting pod: {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}");
            return true;
        }

        return _cache.IsAssumedPod(pod);
    }

    /// <summary>
    /// upstream handleSchedulingFailure: the pod goes back to the queue (unless deleted or bound meanwhile), a
    /// FailedScheduling event tells why, and the PodScheduled condition says it too. A <paramref name="nominatedNode"/>
    /// (preemption's) is kept by the queue's nominator and written to status.nominatedNodeName; "" clears them.
    /// </summary>
    private void HandleSchedulingFailure(QueuedPodInfo queued, Status status, IEnumerable<string> unschedulablePlugins, long podCycle, string? nominatedNode)
    {
        var pod = queued.PodInfo.Pod;
        var reason = status.IsRejected ? "Unschedulable" : "SchedulerError";
        var message = status.Message;
        if (status.IsRejected)
        {
            _logger.LogDebug("unable to schedule {Pod}: {Message}", queued.Key, message);
        }
        else
        {
            _logger.LogInformation("error scheduling {Pod}: {Message}", queued.Key, message);
        }

        queued.UnschedulablePlugins.Clear();
        queued.UnschedulablePlugins.UnionWith(unschedulablePlugins);
        var current = _currentPod(pod);
        if (current is not null && string.IsNullOrEmpty(current.Spec?.NodeName))
        {
            queued.PodInfo = current == pod ? queued.PodInfo : new PodInfo(current);
            _queue.AddUnschedulableIfNotPresent(queued, podCycle);
            if (nominatedNode is not null)
            {
                _framework.Nominator.Add(queued.PodInfo, nominatedNode);
            }
        }

        _events.Eventf(pod, null, "Warning", "FailedScheduling", "Scheduling", message);
        Track(UpdatePodConditionAsync(current ?? pod, reason, message, nominatedNode));
    }

    // upstream updatePod: only when the condition or the nominated node changes (a pod failing again for the same
    // reason costs no write).
    private async Task UpdatePodConditionAsync(V1Pod pod, string reason, string message, string? nominatedNode)
    {
        var existing = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled");
        var nominatedChanged = nominatedNode is not null && nominatedNode != (pod.Status?.NominatedNodeName ?? "");
        if (existing is { Status: "False" } && existing.Reason == reason && existing.Message == message && !nominatedChanged)
        {
            return;
        }

        var now = _time.GetUtcNow().UtcDateTime;
        var condition = new Dictionary<string, object?>
        {
            ["type"] = "PodScheduled",
            ["status"] = "False",
            ["lastProbeTime"] = null,
            ["lastTransitionTime"] = (existing is { Status: "False" } ? existing.LastTransitionTime ?? now : now).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            ["reason"] = reason,
            ["message"] = message,
        };
        var status = new Dictionary<string, object?> { ["conditions"] = new[] { condition } };
        if (nominatedChanged)
        {
            // null removes the field in a merge patch.
            status["nominatedNodeName"] = nominatedNode is "" ? null : nominatedNode;
        }

        var patch = JsonSerializer.Serialize(new Dictionary<string, object> { ["status"] = status });
        try
        {
            await _api.PatchPodStatusAsync(pod.Metadata.NamespaceProperty, pod.Metadata.Name, patch, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.LogDebug(ex, "could not update the PodScheduled condition of {Namespace}/{Name}", pod.Metadata.NamespaceProperty, pod.Metadata.Name);
        }
    }

    private void Track(Task task)
    {
        if (task.IsCompleted)
        {
            return;
        }

        _inFlight.TryAdd(task, 0);
        _ = task.ContinueWith(t => _inFlight.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
