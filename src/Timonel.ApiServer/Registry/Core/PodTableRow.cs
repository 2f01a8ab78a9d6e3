using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// The READY, STATUS and RESTARTS cells of a pod, computed as upstream's printPod
/// (pkg/printers/internalversion/printers.go): init container progress ("Init:0/2"), container waiting and
/// terminated reasons, "Terminating" while being deleted, restarts with the time of the last one.
/// </summary>
public sealed class PodTableRow
{
    private PodTableRow(string ready, string status, long restarts, DateTimeOffset? lastRestart)
    {
        Ready = ready;
        Status = status;
        RestartCount = restarts;
        LastRestart = lastRestart;
    }

    public string Ready { get; }

    public string Status { get; }

    public long RestartCount { get; }

    public DateTimeOffset? LastRestart { get; }

    /// <summary>"3" or, after a restart whose time is known, "3 (5m ago)".</summary>
    public string Restarts(TableContext context) =>
        RestartCount != 0 && LastRestart is { } last ? $"{RestartCount} ({HumanDuration.Format(context.Now - last)} ago)" : RestartCount.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static PodTableRow Of(JsonObject pod)
    {
        var spec = pod.ObjectAt("spec");
        var status = pod.ObjectAt("status");
        var phase = status.StringAt("phase") ?? "";
        var reason = status.StringAt("reason") is { Length: > 0 } statusReason ? statusReason : phase;
        if (status.ArrayAt("conditions").Objects().Any(c => c.StringAt("type") == "PodScheduled" && c.StringAt("reason") == "SchedulingGated"))
        {
            reason = "SchedulingGated";
        }

        var initContainers = spec.ArrayAt("initContainers").Objects().ToList();
        var restartable = initContainers.Where(IsRestartable).Select(c => c.StringAt("name")).ToHashSet(StringComparer.Ordinal);
        var total = spec.ArrayAt("containers").Objects().Count() + restartable.Count;
        var ready = 0;
        long restarts = 0;
        long restartableRestarts = 0;
        DateTimeOffset? lastRestart = null;
        DateTimeOffset? lastRestartableRestart = null;

        var initializing = false;
        var initStatuses = status.ArrayAt("initContainerStatuses").Objects().ToList();
        for (var i = 0; i < initStatuses.Count; i++)
        {
            var container = initStatuses[i];
            var isRestartable = restartable.Contains(container.StringAt("name"));
            restarts += container.LongAt("restartCount") ?? 0;
            lastRestart = Later(lastRestart, LastTermination(container));
            if (isRestartable)
            {
                restartableRestarts += container.LongAt("restartCount") ?? 0;
                lastRestartableRestart = Later(lastRestartableRestart, LastTermination(container));
            }

            var terminated = container.ObjectAt("state", "terminated");
            var waitingReason = container.StringAt("state", "waiting", "reason");
            if (terminated is not null && (terminated.LongAt("exitCode") ?? 0) == 0)
            {
                continue;
            }

            if (isRestartable && container.BoolAt("started") == true)
            {
                if (container.BoolAt("ready") == true)
                {
                    ready++;
                }

                continue;
            }

            if (terminated is not null)
            {
                reason = "Init:" + TerminatedReason(terminated);
            }
            else if (!string.IsNullOrEmpty(waitingReason) && waitingReason != "PodInitializing")
            {
                reason = "Init:" + waitingReason;
            }
            else
            {
                reason = $"Init:{i}/{initContainers.Count}";
            }

            initializing = true;
            break;
        }

        if (!initializing || HasTrueCondition(status, "Initialized"))
        {
            restarts = restartableRestarts;
            lastRestart = lastRestartableRestart;
            var hasRunning = false;
            var statuses = status.ArrayAt("containerStatuses").Objects().ToList();
            for (var i = statuses.Count - 1; i >= 0; i--)
            {
                var container = statuses[i];
                restarts += container.LongAt("restartCount") ?? 0;
                lastRestart = Later(lastRestart, LastTermination(container));
                var terminated = container.ObjectAt("state", "terminated");
                if (container.StringAt("state", "waiting", "reason") is { Length: > 0 } waiting)
                {
                    reason = waiting;
                }
                else if (terminated is not null)
                {
                    reason = TerminatedReason(terminated);
                }
                else if (container.BoolAt("ready") == true && container.ObjectAt("state", "running") is not null)
                {
                    hasRunning = true;
                    ready++;
                }
            }

            // A pod with a container still running is not "Completed" yet.
            if (reason == "Completed" && hasRunning)
            {
                reason = HasTrueCondition(status, "Ready") ? "Running" : "NotReady";
            }
        }

        if (pod.StringAt("metadata", "deletionTimestamp") is not null)
        {
            // node.NodeUnreachablePodReason
            if (status.StringAt("reason") == "NodeLost")
            {
                reason = "Unknown";
            }
            else if (phase is not ("Succeeded" or "Failed"))
            {
                reason = "Terminating";
            }
        }

        return new PodTableRow($"{ready}/{total}", reason, restarts, lastRestart);
    }

    // A terminated state without a reason shows its signal or exit code.
    private static string TerminatedReason(JsonObject terminated)
    {
        if (terminated.StringAt("reason") is { Length: > 0 } reason)
        {
            return reason;
        }

        return (terminated.LongAt("signal") ?? 0) != 0 ? $"Signal:{terminated.LongAt("signal")}" : $"ExitCode:{terminated.LongAt("exitCode") ?? 0}";
    }

    private static bool IsRestartable(JsonObject initContainer) => initContainer.StringAt("restartPolicy") == "Always";

    private static DateTimeOffset? LastTermination(JsonObject containerStatus) =>
        Registry.ObjectMetadata.ParseTimestamp(containerStatus.StringAt("lastState", "terminated", "finishedAt"));

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : (a > b ? a : b);

    private static bool HasTrueCondition(JsonObject? status, string type) =>
        status.ArrayAt("conditions").Objects().Any(c => c.StringAt("type") == type && c.StringAt("status") == "True");
}
