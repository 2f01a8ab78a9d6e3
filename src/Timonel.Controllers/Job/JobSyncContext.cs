using k8s.Models;

namespace Timonel.Controllers.Job;

/// <summary>What one sync of a job has found and decided so far (upstream's syncJobCtx).</summary>
internal sealed class JobSyncContext
{
    public JobSyncContext(V1Job job, IReadOnlyList<V1Pod> pods, IReadOnlySet<string> expectedRemovals)
    {
        Job = job;
        Pods = pods;
        ActivePods = [.. pods.Where(JobPods.IsActive)];
        Ready = ActivePods.Count(ReplicaSet.PodRanking.IsReady);
        Terminating = pods.Count(JobPods.IsTerminating);
        var uncounted = job.Status.UncountedTerminatedPods;
        UncountedSucceeded = new HashSet<string>(uncounted?.Succeeded ?? [], StringComparer.Ordinal);
        UncountedFailed = new HashSet<string>(uncounted?.Failed ?? [], StringComparer.Ordinal);
        ExpectedRemovals = expectedRemovals;
    }

    /// <summary>The job (a copy: its status is what this sync writes).</summary>
    public V1Job Job { get; set; }

    public IReadOnlyList<V1Pod> Pods { get; }

    public List<V1Pod> ActivePods { get; }

    public int Ready { get; set; }

    public int Terminating { get; set; }

    public int Succeeded { get; set; }

    public int Failed { get; set; }

    /// <summary>status.uncountedTerminatedPods as it was read, before this sync adds to it.</summary>
    public HashSet<string> UncountedSucceeded { get; }

    public HashSet<string> UncountedFailed { get; }

    /// <summary>Pods whose finalizer removal is still to be seen: already counted.</summary>
    public IReadOnlySet<string> ExpectedRemovals { get; }

    /// <summary>The condition the job finishes with (or its interim FailureTarget/SuccessCriteriaMet), once known.</summary>
    public V1JobCondition? Finished { get; set; }

    public BackoffRecord NewBackoff { get; set; } = BackoffRecord.Empty;

    /// <summary>Indexed jobs: the indexes status.completedIndexes held, and those succeeded now.</summary>
    public CompletionIndexes PrevSucceededIndexes { get; set; } = new();

    public CompletionIndexes SucceededIndexes { get; set; } = new();

    /// <summary>When the job must be looked at again though nothing changes (a deadline, a back-off).</summary>
    public TimeSpan? RequeueAfter { get; private set; }

    public void RequeueNoLaterThan(TimeSpan delay) =>
        RequeueAfter = RequeueAfter is { } current && current < delay ? current : delay;
}
