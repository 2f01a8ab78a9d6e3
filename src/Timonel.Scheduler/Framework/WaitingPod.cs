namespace Timonel.Scheduler.Framework;

/// <summary>A pod held by Permit plugins that answered Wait (upstream framework waitingPod).</summary>
public sealed class WaitingPod
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _pending;
    private readonly TaskCompletionSource<Status> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public WaitingPod(PodInfo pod, IEnumerable<string> plugins)
    {
        Pod = pod;
        _pending = new(plugins, StringComparer.Ordinal);
    }

    public PodInfo Pod { get; }

    internal Task<Status> Result => _result.Task;

    /// <summary>The plugin no longer holds the pod; binding goes on when no plugin does.</summary>
    public void Allow(string plugin)
    {
        lock (_lock)
        {
            _pending.Remove(plugin);
            if (_pending.Count == 0)
            {
                _result.TrySetResult(Status.Success);
            }
        }
    }

    public void Reject(string plugin, string message) => _result.TrySetResult(Status.Unschedulable(message).WithPlugin(plugin));
}
