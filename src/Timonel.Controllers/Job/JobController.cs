using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Client.Events;
using Timonel.Client.Informers;
using Timonel.Controllers.ReplicaSet;

namespace Timonel.Controllers.Job;

/// <summary>
/// Runs Jobs as kube-controller-manager's job controller does (pkg/controller/job/job_controller.go, 1.32): pods from
/// the template up to parallelism and the remaining completions, each with the batch.kubernetes.io/job-tracking
/// finalizer that is removed only once its outcome is in status (through status.uncountedTerminatedPods, so nothing
/// is counted twice or lost); failed pods replaced after an exponential back-off; backoffLimit, activeDeadlineSeconds,
/// podFailurePolicy, suspend, Indexed completion and successPolicy. A job ends with the interim FailureTarget or
/// SuccessCriteriaMet condition first, then Failed or Complete once none of its pods is still terminating. Keys are
/// namespace/name; pods holding the finalizer without a live job to count them are keyed "orphan/namespace/name".
/// </summary>
public sealed class JobController : ControllerBase
{
    /// <summary>The component events are reported by (upstream's job controller's recorder).</summary>
    public const string Component = "job-controller";

    /// <summary>batch.JobControllerName: the spec.managedBy value this controller handles (as it handles none).</summary>
    public const string ControllerName = "kubernetes.io/job-controller";

    /// <summary>MaxPodCreateDeletePerSync.</summary>
    public const int MaxPodCreateDeletePerSync = 500;

    /// <summary>MaxUncountedPods: how many outcomes one status write may carry in uncountedTerminatedPods.</summary>
    public const int MaxUncountedPods = 500;

    private const string OrphanPrefix = "orphan/";

    private readonly IKubernetes _client;
    private readonly SharedInformer<V1Job> _jobs;
    private readonly SharedInformer<V1Pod> _pods;
    private readonly IEventRecorder _events;
    private readonly JobPodControl _podControl;
    private readonly PodExpectations _expectations;
    private readonly FinalizerExpectations _finalizers = new();
    private readonly Dictionary<string, BackoffRecord> _backoff = new(StringComparer.Ordinal);
    private readonly Lock _backoffLock = new();

    public JobController(IKubernetes client, SharedInformer<V1Job> jobs, SharedInformer<V1Pod> pods, IEventRecorder events, TimeProvider time, ILogger<JobController> logger)
        : base(logger, time, [jobs, pods], workers: 5)
    {
        _client = client;
        _jobs = jobs;
        _pods = pods;
        _events = events;
        _podControl = new JobPodControl(client, events);
        _expectations = new PodExpectations(time);
        pods.AddIndexer(Indexers.OwnerUidIndex, Indexers.OwnerUid);
        jobs.AddHandlers(new(
            OnAdd: job => Enqueue(ObjectKey.Of(job)),
            OnUpdate: (_, job) => Enqueue(ObjectKey.Of(job)),
            OnDelete: OnJobDeleted));
        pods.AddHandlers(new(OnAdd: OnPodAdded, OnUpdate: OnPodUpdated, OnDelete: OnPodDeleted));
    }

    /// <summary>syncJob, or syncOrphanPod for an orphan key.</summary>
    public override async Task<SyncResult> SyncAsync(string key, CancellationToken cancellationToken)
    {
        if (key.StartsWith(OrphanPrefix, StringComparison.Ordinal))
        {
            await SyncOrphanPodAsync(key[OrphanPrefix.Length..], cancellationToken).ConfigureAwait(false);
            return SyncResult.Done;
        }

        var (ns, name) = ObjectKey.Split(key);
        if (_jobs.Cache.Get(ns, name) is not { } shared)
        {
            Forget(key);
            return SyncResult.Done;
        }

        if (JobConditions.IsFinished(shared))
        {
            lock (_backoffLock)
            {
                _backoff.Remove(key);
            }

            return SyncResult.Done;
        }

        if (shared.Spec.ManagedBy is { } managedBy && managedBy != ControllerName)
        {
            return SyncResult.Done;
        }

        var job = CachedObject.Copy(shared);
        var status = job.Status ??= new V1JobStatus();
        status.UncountedTerminatedPods ??= new V1UncountedTerminatedPods();

        // Expectations are read before the pods, so a pod created meanwhile cannot slip past both.
        var satisfied = _expectations.Satisfied(key);
        var pods = await ClaimPodsAsync(job, cancellationToken).ConfigureAwait(false);
        var ctx = new JobSyncContext(job, pods, _finalizers.ExpectedUids(key));
        // metav1.Time is written to the second: conditions and startTime carry what upstream's would.
        var utc = Time.GetUtcNow().UtcDateTime;
        var now = utc.AddTicks(-(utc.Ticks % TimeSpan.TicksPerSecond));
        var active = ctx.ActivePods.Count;
        var (newSucceeded, newFailed) = NewFinishedPods(ctx);
        ctx.Succeeded = (status.Succeeded ?? 0) + newSucceeded.Count + ctx.UncountedSucceeded.Count;
        ctx.Failed = (status.Failed ?? 0) + newFailed.Count(p => PodFailurePolicies.Match(job.Spec.PodFailurePolicy, p).CountFailed) + ctx.UncountedFailed.Count;

        // Job first start; a job created suspended starts when resumed.
        if (status.StartTime is null && !IsSuspended(job))
        {
            status.StartTime = now;
        }

        ctx.NewBackoff = BackoffOf(key).With(newSucceeded, newFailed);
        DecideFailure(ctx, now);
        if (IsIndexed(job))
        {
            var completions = job.Spec.Completions ?? 0;
            ctx.PrevSucceededIndexes = CompletionIndexes.Parse(status.CompletedIndexes, completions);
            ctx.SucceededIndexes = ctx.PrevSucceededIndexes.With(pods
                .Where(p => JobPods.IsSucceeded(p) && JobPods.HasTrackingFinalizer(p))
                .Select(JobPods.CompletionIndex)
                .Where(i => i != JobPods.UnknownIndex && i < completions));
            ctx.Succeeded = ctx.SucceededIndexes.Total;
            if (ctx.Finished is null && SuccessPolicies.Match(job.Spec.SuccessPolicy, completions, ctx.SucceededIndexes) is { } met)
            {
                ctx.Finished = JobConditions.New(JobConditions.SuccessCriteriaMet, "True", JobConditions.ReasonSuccessPolicy, met, now);
            }
        }

        Exception? manageError = null;
        var suspendChanged = false;
        if (ctx.Finished is not null)
        {
            // The job is done: what still runs goes (and counts as failed, unless the success criteria were met).
            var (deletedReady, deleted, error) = await DeleteActivePodsAsync(job, ctx.ActivePods, cancellationToken).ConfigureAwait(false);
            if (deleted != active || !satisfied)
            {
                // Pods not yet deleted, or not yet in the cache: the job cannot be declared finished yet.
                ctx.Finished = null;
            }

            active -= deleted;
            ctx.Terminating += deleted;
            ctx.Ready -= deletedReady;
            manageError = error;
        }
        else
        {
            var manageCalled = false;
            if (satisfied && job.Metadata.DeletionTimestamp is null)
            {
                (active, manageError) = await ManageJobAsync(key, ctx, now, cancellationToken).ConfigureAwait(false);
                manageCalled = true;
            }

            // Without completions, one success (and nothing left running) completes the job.
            var complete = job.Spec.Completions is { } wanted ? ctx.Succeeded >= wanted && active == 0 : ctx.Succeeded > 0 && active == 0;
            if (complete)
            {
                // JobSuccessPolicy (beta in 1.32) gives the condition its reason and message.
                ctx.Finished = JobConditions.New(JobConditions.SuccessCriteriaMet, "True", JobConditions.ReasonCompletionsReached, "Reached expected number of succeeded pods", now);
            }
            else if (manageCalled)
            {
                suspendChanged = UpdateSuspendCondition(job, now);
            }
        }

        var needsFlush = suspendChanged || active != (status.Active ?? 0) || status.Ready != ctx.Ready || status.Terminating != ctx.Terminating;
        // active, succeeded and failed are omitempty upstream: a zero is left out, as the Go client sends it.
        status.Active = active == 0 ? null : active;
        status.Ready = ctx.Ready;
        status.Terminating = ctx.Terminating;
        await TrackStatusAndRemoveFinalizersAsync(key, ctx, needsFlush, now, cancellationToken).ConfigureAwait(false);
        if (manageError is not null)
        {
            throw manageError;
        }

        return ctx.RequeueAfter is { } delay ? SyncResult.Requeue(delay) : SyncResult.Done;
    }

    private static bool IsSuspended(V1Job job) => job.Spec.Suspend == true;

    private static bool IsIndexed(V1Job job) => job.Spec.CompletionMode == "Indexed";

    /// <summary>
    /// getNewFinishedPods: pods finished since the last count (they still hold the finalizer, are not in the
    /// uncounted lists nor awaiting their finalizer removal, and for an Indexed job carry a valid index).
    /// </summary>
    private static (List<V1Pod> Succeeded, List<V1Pod> Failed) NewFinishedPods(JobSyncContext ctx)
    {
        var job = ctx.Job;
        bool Valid(V1Pod p, HashSet<string> uncounted) =>
            JobPods.HasTrackingFinalizer(p) && !uncounted.Contains(p.Metadata.Uid) && !ctx.ExpectedRemovals.Contains(p.Metadata.Uid)
            && (!IsIndexed(job) || (JobPods.CompletionIndex(p) is var ix && ix != JobPods.UnknownIndex && ix < (job.Spec.Completions ?? 0)));
        return (
            [.. ctx.Pods.Where(p => Valid(p, ctx.UncountedSucceeded) && JobPods.IsSucceeded(p))],
            [.. ctx.Pods.Where(p => Valid(p, ctx.UncountedFailed) && JobPods.IsFailed(p, job))]);
    }

    /// <summary>
    /// The failure checks of syncJob, in upstream's order: a FailureTarget already set becomes Failed; a pod failure
    /// policy's FailJob; backoffLimit; activeDeadlineSeconds (looked at again when it will pass).
    /// </summary>
    private void DecideFailure(JobSyncContext ctx, DateTime now)
    {
        var job = ctx.Job;
        if (JobConditions.Find(job, JobConditions.SuccessCriteriaMet) is { Status: "True" } met)
        {
            // The success was decided in an earlier sync: no failure can overturn it.
            ctx.Finished = met;
            return;
        }

        if (JobConditions.Find(job, JobConditions.FailureTarget) is { Status: "True" } target)
        {
            ctx.Finished = JobConditions.New(JobConditions.Failed, "True", target.Reason, target.Message, now);
            return;
        }

        if (job.Spec.PodFailurePolicy is not null
            && ctx.Pods.Where(p => JobPods.IsFailed(p, job)).Select(p => PodFailurePolicies.Match(job.Spec.PodFailurePolicy, p).FailJobMessage).FirstOrDefault(m => m is not null) is { } message)
        {
            ctx.Finished = JobConditions.New(JobConditions.FailureTarget, "True", JobConditions.ReasonPodFailurePolicy, message, now);
            return;
        }

        if (ctx.Failed > (job.Spec.BackoffLimit ?? 6) || PastBackoffLimitOnFailure(job, ctx.Pods))
        {
            // pkg/controller/job/job_controller.go's words.
            ctx.Finished = JobConditions.New(JobConditions.FailureTarget, "True", JobConditions.ReasonBackoffLimitExceeded, "Job has reached the specified backoff limit", now);
        }
        else if (job.Spec.ActiveDeadlineSeconds is { } deadline && job.Status.StartTime is { } started && !IsSuspended(job))
        {
            var left = TimeSpan.FromSeconds(deadline) - (now - started);
            if (left <= TimeSpan.Zero)
            {
                ctx.Finished = JobConditions.New(JobConditions.FailureTarget, "True", JobConditions.ReasonDeadlineExceeded, "Job was active longer than specified deadline", now);
            }
            else
            {
                ctx.RequeueNoLaterThan(left);
            }
        }
    }

    /// <summary>pastBackoffLimitOnFailure: with restartPolicy OnFailure, container restarts count as failures.</summary>
    private static bool PastBackoffLimitOnFailure(V1Job job, IReadOnlyList<V1Pod> pods)
    {
        if (job.Spec.Template.Spec.RestartPolicy != "OnFailure")
        {
            return false;
        }

        var restarts = pods
            .Where(p => p.Status?.Phase is "Running" or "Pending")
            .SelectMany(p => (p.Status.InitContainerStatuses ?? []).Concat(p.Status.ContainerStatuses ?? []))
            .Sum(c => c.RestartCount);
        var limit = job.Spec.BackoffLimit ?? 6;
        return limit == 0 ? restarts > 0 : restarts >= limit;
    }

    /// <summary>
    /// The Suspended condition and its events: True "JobSuspended" while suspended; once resumed False "JobResumed",
    /// and startTime restarts, so activeDeadlineSeconds counts only the time the job is active.
    /// </summary>
    private bool UpdateSuspendCondition(V1Job job, DateTime now)
    {
        if (IsSuspended(job))
        {
            if (JobConditions.Ensure(job.Status, JobConditions.Suspended, "True", "JobSuspended", "Job suspended", now))
            {
                _events.Event(JobPodControl.Reference(job), "Normal", "Suspended", "Job suspended");
                return true;
            }

            return false;
        }

        if (JobConditions.Ensure(job.Status, JobConditions.Suspended, "False", "JobResumed", "Job resumed", now))
        {
            _events.Event(JobPodControl.Reference(job), "Normal", "Resumed", "Job resumed");
            job.Status.StartTime = now;
            return true;
        }

        return false;
    }

    /// <summary>manageJob: deletes what is too much (everything while suspended), else creates what is missing.</summary>
    private async Task<(int Active, Exception? Error)> ManageJobAsync(string key, JobSyncContext ctx, DateTime now, CancellationToken cancellationToken)
    {
        var job = ctx.Job;
        var active = ctx.ActivePods.Count;
        var parallelism = job.Spec.Parallelism ?? 1;
        if (IsSuspended(job))
        {
            return await DeleteJobPodsAsync(key, ctx, ActivePodsForRemoval(job, ctx.ActivePods, active), cancellationToken).ConfigureAwait(false);
        }

        int wantActive;
        if (job.Spec.Completions is { } completions)
        {
            // Never more than the completions still missing.
            wantActive = Math.Clamp(completions - ctx.Succeeded, 0, parallelism);
        }
        else
        {
            // A work queue: once one pod succeeded, no new ones; the others finish on their own.
            wantActive = ctx.Succeeded > 0 ? active : parallelism;
        }

        var toDelete = ActivePodsForRemoval(job, ctx.ActivePods, Math.Max(0, active - wantActive));
        if (toDelete.Count > 0)
        {
            // Deleting and creating in one sync is possible (repeated indexes); deletion goes first, alone.
            return await DeleteJobPodsAsync(key, ctx, [.. toDelete.Take(MaxPodCreateDeletePerSync)], cancellationToken).ConfigureAwait(false);
        }

        var terminating = JobPods.OnlyReplaceFailedPods(job) ? ctx.Terminating : 0;
        var diff = wantActive - terminating - active;
        if (diff <= 0)
        {
            return (active, null);
        }

        var wait = ctx.NewBackoff.RemainingTime(now);
        if (wait > TimeSpan.Zero)
        {
            ctx.RequeueNoLaterThan(wait);
            return (active, null);
        }

        diff = Math.Min(diff, MaxPodCreateDeletePerSync);
        IReadOnlyList<int>? indexes = null;
        if (IsIndexed(job))
        {
            indexes = FirstPendingIndexes(ctx, diff, job.Spec.Completions ?? 0);
            diff = indexes.Count;
        }

        if (diff == 0)
        {
            return (active, null);
        }

        _expectations.Expect(key, diff, 0);
        var template = CachedObject.Copy(job.Spec.Template);
        template.Metadata ??= new V1ObjectMeta();
        template.Metadata.Finalizers = [.. (template.Metadata.Finalizers ?? []).Where(f => f != JobPods.TrackingFinalizer), JobPods.TrackingFinalizer];
        if (indexes is not null)
        {
            AddCompletionIndexEnvVariables(template.Spec);
        }

        var next = -1;
        try
        {
            await ReplicaSetController.SlowStartBatchAsync(diff, () =>
            {
                var n = Interlocked.Increment(ref next);
                return indexes is null
                    ? _podControl.CreateAsync(job, template, $"{job.Metadata.Name}-", cancellationToken)
                    : CreateIndexedAsync(job, template, indexes[n], cancellationToken);
            }).ConfigureAwait(false);
        }
        catch (SlowStartException ex)
        {
            // Refused or never attempted creations will never be seen.
            _expectations.Lower(key, diff - ex.Succeeded, 0);
            return (active + ex.Succeeded, ex.InnerException);
        }

        return (active + diff, null);
    }

    private Task CreateIndexedAsync(V1Job job, V1PodTemplateSpec shared, int index, CancellationToken cancellationToken)
    {
        var template = CachedObject.Copy(shared);
        var text = index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        template.Metadata.Annotations ??= new Dictionary<string, string>(StringComparer.Ordinal);
        template.Metadata.Annotations[JobPods.CompletionIndexAnnotation] = text;
        template.Metadata.Labels ??= new Dictionary<string, string>(StringComparer.Ordinal);
        template.Metadata.Labels[JobPods.CompletionIndexAnnotation] = text;
        template.Spec.Hostname = $"{job.Metadata.Name}-{text}";
        return _podControl.CreateAsync(job, template, GenerateNameWithIndex(job.Metadata.Name, text), cancellationToken);
    }

    /// <summary>
    /// podGenerateNameWithIndex: "job-3-", the job's name cut so that the name the API server completes (five more
    /// characters) stays within 63.
    /// </summary>
    private static string GenerateNameWithIndex(string jobName, string index)
    {
        var appendIndex = "-" + index + "-";
        const int MaxGeneratedNameLength = 58;
        return jobName.Length + appendIndex.Length > MaxGeneratedNameLength
            ? jobName[..(MaxGeneratedNameLength - appendIndex.Length)] + appendIndex
            : jobName + appendIndex;
    }

    /// <summary>
    /// addCompletionIndexEnvVariables: JOB_COMPLETION_INDEX in every container and init container that lacks it,
    /// from the pod's completion-index label through the downward API.
    /// </summary>
    private static void AddCompletionIndexEnvVariables(V1PodSpec spec)
    {
        foreach (var container in (spec.InitContainers ?? []).Concat(spec.Containers ?? []))
        {
            container.Env ??= [];
            if (container.Env.Any(e => e.Name == JobPods.CompletionIndexEnvName))
            {
                continue;
            }

            container.Env.Add(new V1EnvVar
            {
                Name = JobPods.CompletionIndexEnvName,
                ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = $"metadata.labels['{JobPods.CompletionIndexAnnotation}']" } },
            });
        }
    }

    /// <summary>firstPendingIndexes: the lowest indexes neither succeeded nor held by an active (or, when only failed pods are replaced, terminating) pod.</summary>
    private static List<int> FirstPendingIndexes(JobSyncContext ctx, int count, int completions)
    {
        var taken = new HashSet<int>(ctx.ActivePods.Select(JobPods.CompletionIndex));
        if (JobPods.OnlyReplaceFailedPods(ctx.Job))
        {
            taken.UnionWith(ctx.Pods.Where(JobPods.IsTerminating).Select(JobPods.CompletionIndex));
        }

        var result = new List<int>(count);
        for (var i = 0; i < completions && result.Count < count; i++)
        {
            if (!taken.Contains(i) && !ctx.SucceededIndexes.Has(i))
            {
                result.Add(i);
            }
        }

        return result;
    }

    /// <summary>
    /// activePodsForRemoval: for an Indexed job first the pods with an index out of range or repeated (the best of
    /// each index stays), then in the ranking a scale-down uses.
    /// </summary>
    private static List<V1Pod> ActivePodsForRemoval(V1Job job, List<V1Pod> pods, int atLeast)
    {
        var remove = new List<V1Pod>();
        var left = pods;
        if (IsIndexed(job))
        {
            var completions = job.Spec.Completions ?? 0;
            left = [];
            foreach (var group in pods.GroupBy(JobPods.CompletionIndex))
            {
                if (group.Key == JobPods.UnknownIndex || group.Key >= completions)
                {
                    remove.AddRange(group);
                    continue;
                }

                var ranked = group.Order(PodRanking.Instance).ToList();
                remove.AddRange(ranked.Take(ranked.Count - 1));
                left.Add(ranked[^1]);
            }
        }

        if (remove.Count < atLeast)
        {
            remove.AddRange(left.Order(PodRanking.Instance).Take(atLeast - remove.Count));
        }

        return remove;
    }

    /// <summary>
    /// deleteJobPods (suspension, too many pods): the finalizer goes first, so these pods are not counted as failed.
    /// </summary>
    private async Task<(int Active, Exception? Error)> DeleteJobPodsAsync(string key, JobSyncContext ctx, List<V1Pod> pods, CancellationToken cancellationToken)
    {
        _expectations.Expect(key, 0, pods.Count);
        var removed = 0;
        var removedReady = 0;
        Exception? error = null;
        await Task.WhenAll(pods.Select(async pod =>
        {
            try
            {
                if (JobPods.HasTrackingFinalizer(pod))
                {
                    await _podControl.RemoveTrackingFinalizerAsync(pod, cancellationToken).ConfigureAwait(false);
                }

                if (!await _podControl.DeleteAsync(ctx.Job, pod, cancellationToken).ConfigureAwait(false))
                {
                    // Already gone: its deletion may never be seen.
                    _expectations.DeletionObserved(key);
                }

                Interlocked.Increment(ref removed);
                if (PodRanking.IsReady(pod))
                {
                    Interlocked.Increment(ref removedReady);
                }
            }
            catch (HttpOperationException ex)
            {
                _expectations.DeletionObserved(key);
                Interlocked.CompareExchange(ref error, ex, null);
            }
        })).ConfigureAwait(false);
        ctx.Terminating += removed;
        ctx.Ready -= removedReady;
        return (ctx.ActivePods.Count - removed, error);
    }

    /// <summary>deleteActivePods (the job is finishing): finalizers stay, the pods are counted by the tracking.</summary>
    private async Task<(int DeletedReady, int Deleted, Exception? Error)> DeleteActivePodsAsync(V1Job job, List<V1Pod> pods, CancellationToken cancellationToken)
    {
        var deleted = 0;
        var deletedReady = 0;
        Exception? error = null;
        await Task.WhenAll(pods.Select(async pod =>
        {
            try
            {
                await _podControl.DeleteAsync(job, pod, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref deleted);
            }
            catch (HttpOperationException ex)
            {
                Interlocked.CompareExchange(ref error, ex, null);
            }

            if (PodRanking.IsReady(pod))
            {
                Interlocked.Increment(ref deletedReady);
            }
        })).ConfigureAwait(false);
        return (deletedReady, deleted, error);
    }

    /// <summary>
    /// trackJobStatusAndRemoveFinalizers: finished pods' outcomes go into status.uncountedTerminatedPods (Indexed:
    /// completedIndexes) in one status write, then their finalizers are removed, then the counters take them from the
    /// uncounted lists in the next write; the job finishes once nothing is left uncounted or terminating.
    /// </summary>
    private async Task TrackStatusAndRemoveFinalizersAsync(string key, JobSyncContext ctx, bool needsFlush, DateTime now, CancellationToken cancellationToken)
    {
        var job = ctx.Job;
        var status = job.Status;
        var indexed = IsIndexed(job);
        var completions = job.Spec.Completions ?? 0;
        var pods = indexed ? [.. ctx.Pods.OrderBy(JobPods.CompletionIndex)] : ctx.Pods.ToList();
        var withFinalizer = new HashSet<string>(
            pods.Where(p => JobPods.HasTrackingFinalizer(p) && !ctx.ExpectedRemovals.Contains(p.Metadata.Uid)).Select(p => p.Metadata.Uid),
            StringComparer.Ordinal);
        var uncountedSucceeded = new List<string>(status.UncountedTerminatedPods.Succeeded ?? []);
        var uncountedFailed = new List<string>(status.UncountedTerminatedPods.Failed ?? []);
        needsFlush |= CountUncountedWithoutFinalizers(status, uncountedSucceeded, uncountedFailed, withFinalizer);

        var toRemoveFinalizer = new List<V1Pod>();
        var newSucceededIndexes = new List<int>();
        var reachedMax = false;
        var successMet = ctx.Finished?.Type == JobConditions.SuccessCriteriaMet;
        foreach (var pod in pods)
        {
            var uid = pod.Metadata.Uid;
            if (!JobPods.HasTrackingFinalizer(pod) || ctx.ExpectedRemovals.Contains(uid))
            {
                // Counted in an earlier sync.
                continue;
            }

            var failed = JobPods.IsFailed(pod, job);

            // canRemoveFinalizer: the pod's outcome is known, or the job's is.
            if (!failed && ctx.Finished is null && !JobPods.IsSucceeded(pod))
            {
                continue;
            }

            toRemoveFinalizer.Add(pod);
            var index = JobPods.CompletionIndex(pod);
            if (JobPods.IsSucceeded(pod) && !ctx.UncountedFailed.Contains(uid))
            {
                if (indexed)
                {
                    // The index is enough to never count a success twice.
                    if (index != JobPods.UnknownIndex && index < completions && !ctx.PrevSucceededIndexes.Has(index))
                    {
                        newSucceededIndexes.Add(index);
                        needsFlush = true;
                    }
                }
                else if (!ctx.UncountedSucceeded.Contains(uid))
                {
                    uncountedSucceeded.Add(uid);
                    needsFlush = true;
                }
            }
            else if (failed || (ctx.Finished is not null && !successMet))
            {
                // Once the job has failed, whatever has not succeeded counts as failed.
                if (!ctx.UncountedFailed.Contains(uid) && (!indexed || (index != JobPods.UnknownIndex && index < completions))
                    && PodFailurePolicies.Match(job.Spec.PodFailurePolicy, pod).CountFailed)
                {
                    uncountedFailed.Add(uid);
                    needsFlush = true;
                }
            }

            if (newSucceededIndexes.Count + uncountedSucceeded.Count + uncountedFailed.Count >= MaxUncountedPods)
            {
                // Keeps the status small; the writes below bring the job back to the queue for the rest.
                reachedMax = true;
                break;
            }
        }

        SetUncounted(status, uncountedSucceeded, uncountedFailed);
        if (indexed)
        {
            ctx.SucceededIndexes = ctx.SucceededIndexes.With(newSucceededIndexes);
            var completed = ctx.SucceededIndexes.ToString();
            needsFlush |= completed != (status.CompletedIndexes ?? "");
            status.Succeeded = ctx.SucceededIndexes.Total == 0 ? null : ctx.SucceededIndexes.Total;
            status.CompletedIndexes = completed;
        }

        if (ctx.Finished?.Type == JobConditions.FailureTarget)
        {
            // The interim condition is written with the outcomes, before the finalizers go; Failed follows it.
            status.Conditions ??= [];
            status.Conditions.Add(ctx.Finished);
            needsFlush = true;
            ctx.Finished = JobConditions.New(JobConditions.Failed, "True", ctx.Finished.Reason, ctx.Finished.Message, now);
        }

        if (ctx.Finished?.Type == JobConditions.SuccessCriteriaMet)
        {
            if (JobConditions.Find(job, JobConditions.SuccessCriteriaMet) is null)
            {
                status.Conditions ??= [];
                status.Conditions.Add(ctx.Finished);
                needsFlush = true;
            }

            ctx.Finished = JobConditions.New(JobConditions.Complete, "True", ctx.Finished.Reason, ctx.Finished.Message, now);
        }

        if (needsFlush)
        {
            job = ctx.Job = await UpdateStatusAsync(job, cancellationToken).ConfigureAwait(false);
            status = job.Status;
            SetBackoff(key, ctx.NewBackoff);
            needsFlush = false;
        }

        var removalError = await RemoveTrackingFinalizersAsync(key, toRemoveFinalizer, withFinalizer, cancellationToken).ConfigureAwait(false);
        needsFlush = CountUncountedWithoutFinalizers(status, [.. status.UncountedTerminatedPods?.Succeeded ?? []], [.. status.UncountedTerminatedPods?.Failed ?? []], withFinalizer);
        if (removalError is not null)
        {
            // Some finalizers stayed: record the progress made, then retry.
            if (needsFlush)
            {
                await UpdateStatusAsync(job, cancellationToken).ConfigureAwait(false);
            }

            throw removalError;
        }

        var finished = !reachedMax && EnactFinished(ctx, now);
        if (finished || needsFlush)
        {
            ctx.Job = await UpdateStatusAsync(ctx.Job, cancellationToken).ConfigureAwait(false);
            if (finished)
            {
                RecordFinished(ctx.Job, ctx.Finished!);
            }
        }
    }

    /// <summary>cleanUncountedPodsWithoutFinalizers: uncounted pods whose finalizer is gone move into the counters.</summary>
    private static bool CountUncountedWithoutFinalizers(V1JobStatus status, List<string> succeeded, List<string> failed, HashSet<string> withFinalizer)
    {
        var changed = false;
        var removed = succeeded.RemoveAll(uid => !withFinalizer.Contains(uid));
        if (removed > 0)
        {
            status.Succeeded = (status.Succeeded ?? 0) + removed;
            changed = true;
        }

        removed = failed.RemoveAll(uid => !withFinalizer.Contains(uid));
        if (removed > 0)
        {
            status.Failed = (status.Failed ?? 0) + removed;
            changed = true;
        }

        SetUncounted(status, succeeded, failed);
        return changed;
    }

    // Empty lists are left out, as upstream's omitempty does: `uncountedTerminatedPods: {}`.
    private static void SetUncounted(V1JobStatus status, List<string> succeeded, List<string> failed) =>
        status.UncountedTerminatedPods = new V1UncountedTerminatedPods
        {
            Succeeded = succeeded.Count == 0 ? null : [.. succeeded],
            Failed = failed.Count == 0 ? null : [.. failed],
        };

    /// <summary>
    /// enactJobFinished: the final condition (and completionTime for Complete) once no outcome is left uncounted and
    /// no pod is still terminating (1.32 delays the terminal condition so).
    /// </summary>
    private static bool EnactFinished(JobSyncContext ctx, DateTime now)
    {
        if (ctx.Finished is not { } finished)
        {
            return false;
        }

        var status = ctx.Job.Status;
        if ((status.UncountedTerminatedPods?.Succeeded?.Count ?? 0) + (status.UncountedTerminatedPods?.Failed?.Count ?? 0) > 0 || ctx.Terminating > 0)
        {
            return false;
        }

        JobConditions.Ensure(status, finished.Type, finished.Status, finished.Reason, finished.Message, finished.LastTransitionTime ?? now);
        if (finished.Type == JobConditions.Complete)
        {
            status.CompletionTime = finished.LastTransitionTime;
        }

        return true;
    }

    /// <summary>recordJobFinished's events.</summary>
    private void RecordFinished(V1Job job, V1JobCondition finished)
    {
        var reference = JobPodControl.Reference(job);
        if (finished.Type == JobConditions.Complete)
        {
            if (job.Spec.Completions is { } completions && job.Status.Succeeded > completions)
            {
                _events.Event(reference, "Warning", "TooManySucceededPods", "Too many succeeded pods running after completion count reached");
            }

            _events.Event(reference, "Normal", "Completed", "Job completed");
            return;
        }

        _events.Event(reference, "Warning", finished.Reason, finished.Message);
    }

    /// <summary>
    /// removeTrackingFinalizerFromPods: each removal is expected before it is sent, so the pod's next event cannot
    /// be counted again; a pod whose finalizer is gone leaves <paramref name="withFinalizer"/>.
    /// </summary>
    private async Task<Exception?> RemoveTrackingFinalizersAsync(string key, List<V1Pod> pods, HashSet<string> withFinalizer, CancellationToken cancellationToken)
    {
        Exception? error = null;
        var removed = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Task.WhenAll(pods.Select(async pod =>
        {
            _finalizers.ExpectRemoval(key, pod.Metadata.Uid);
            try
            {
                await _podControl.RemoveTrackingFinalizerAsync(pod, cancellationToken).ConfigureAwait(false);
                removed.Add(pod.Metadata.Uid);
            }
            catch (HttpOperationException ex)
            {
                _finalizers.RemovalObserved(key, pod.Metadata.Uid);
                Interlocked.CompareExchange(ref error, ex, null);
            }
        })).ConfigureAwait(false);
        withFinalizer.ExceptWith(removed);
        return error;
    }

    private async Task<V1Job> UpdateStatusAsync(V1Job job, CancellationToken cancellationToken) =>
        await _client.BatchV1.ReplaceNamespacedJobStatusAsync(job, job.Metadata.Name, job.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);

    private BackoffRecord BackoffOf(string key)
    {
        lock (_backoffLock)
        {
            return _backoff.GetValueOrDefault(key) ?? BackoffRecord.Empty;
        }
    }

    private void SetBackoff(string key, BackoffRecord record)
    {
        lock (_backoffLock)
        {
            _backoff[key] = record;
        }
    }

    private void Forget(string key)
    {
        _expectations.Delete(key);
        _finalizers.Delete(key);
        lock (_backoffLock)
        {
            _backoff.Remove(key);
        }
    }

    /// <summary>
    /// getPodsForJob: the pods the job controls that its selector matches, adopting matching orphans and releasing
    /// owned pods that stopped matching.
    /// </summary>
    private Task<List<V1Pod>> ClaimPodsAsync(V1Job job, CancellationToken cancellationToken) =>
        ControllerRefManager.ClaimAsync(
            job.Metadata,
            JobPodControl.OwnerReference(job),
            job.Spec.Selector,
            _pods.Cache.List(job.Metadata.NamespaceProperty),
            adoptable: _ => true,
            releasable: pod => pod.Metadata.DeletionTimestamp is null,
            (pod, patch) => ControllerRefManager.PatchAsync(() => _client.CoreV1.PatchNamespacedPodAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken)));

    /// <summary>
    /// syncOrphanPod: a pod holding the tracking finalizer whose job is gone or finished (or that no job controls)
    /// would never lose it; the finalizer goes. A pod controlled by anything but a Job is left alone.
    /// </summary>
    private async Task SyncOrphanPodAsync(string podKey, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKey.Split(podKey);
        if (_pods.Cache.Get(ns, name) is not { } pod || !JobPods.HasTrackingFinalizer(pod) || !IsOrphan(pod))
        {
            return;
        }

        await _podControl.RemoveTrackingFinalizerAsync(pod, cancellationToken).ConfigureAwait(false);
    }

    private bool IsOrphan(V1Pod pod)
    {
        if (pod.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true) is not { } owner)
        {
            return true;
        }

        if (owner.Kind != "Job" || owner.ApiVersion != "batch/v1")
        {
            return false;
        }

        var job = JobOf(pod.Metadata.NamespaceProperty, owner);
        if (job?.Spec.ManagedBy is { } managedBy && managedBy != ControllerName)
        {
            return false;
        }

        return job is null || JobConditions.IsFinished(job);
    }

    private V1Job? JobOf(string ns, V1OwnerReference owner) =>
        _jobs.Cache.Get(ns, owner.Name) is { } job && job.Metadata.Uid == owner.Uid ? job : null;

    /// <summary>The key of the job controlling <paramref name="pod"/>, if it is in the cache.</summary>
    private string? OwnerKey(V1Pod pod) =>
        pod.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true) is { Kind: "Job", ApiVersion: "batch/v1" } owner
            && JobOf(pod.Metadata.NamespaceProperty, owner) is { } job
            ? ObjectKey.Of(job)
            : null;

    private void EnqueueOrphanIfStuck(V1Pod pod)
    {
        if (JobPods.HasTrackingFinalizer(pod) && IsOrphan(pod))
        {
            Enqueue(OrphanPrefix + ObjectKey.Of(pod));
        }
    }

    private void OnJobDeleted(V1Job job)
    {
        var key = ObjectKey.Of(job);
        Forget(key);
        Enqueue(key);

        // Its pods' finalizers would otherwise keep them forever.
        foreach (var pod in _pods.Cache.ByIndex(Indexers.OwnerUidIndex, job.Metadata.Uid))
        {
            if (JobPods.HasTrackingFinalizer(pod))
            {
                Enqueue(OrphanPrefix + ObjectKey.Of(pod));
            }
        }
    }

    // Pod handlers (addPod, updatePod, deletePod): expectations observed, the owning job queued; a pod with the
    // finalizer and no live job to count it goes to the orphan cleanup.
    private void OnPodAdded(V1Pod pod)
    {
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            PodGone(pod, final: false);
            return;
        }

        if (OwnerKey(pod) is { } key)
        {
            _expectations.CreationObserved(key);
            Enqueue(key);
            return;
        }

        EnqueueOrphanIfStuck(pod);
        EnqueueMatching(pod);
    }

    private void OnPodUpdated(V1Pod old, V1Pod pod)
    {
        var key = OwnerKey(pod);
        if (key is not null && !JobPods.HasTrackingFinalizer(pod) && JobPods.HasTrackingFinalizer(old))
        {
            _finalizers.RemovalObserved(key, pod.Metadata.Uid);
        }

        if (pod.Metadata.DeletionTimestamp is not null && old.Metadata.DeletionTimestamp is null && key is not null)
        {
            // A graceful deletion has begun: as far as counting goes, the pod is gone.
            _expectations.DeletionObserved(key);
        }

        if (OwnerKey(old) is { } oldKey && oldKey != key)
        {
            Enqueue(oldKey);
        }

        if (key is not null)
        {
            Enqueue(key);
            return;
        }

        EnqueueOrphanIfStuck(pod);
        EnqueueMatching(pod);
    }

    private void OnPodDeleted(V1Pod pod) => PodGone(pod, final: true);

    /// <summary>
    /// A pod deleted (final) or being deleted: its deletion is observed; its finalizer removal too once the pod is
    /// gone or no longer holds it.
    /// </summary>
    private void PodGone(V1Pod pod, bool final)
    {
        if (OwnerKey(pod) is not { } key)
        {
            if (!final)
            {
                EnqueueOrphanIfStuck(pod);
            }

            return;
        }

        if (final || !JobPods.HasTrackingFinalizer(pod))
        {
            _finalizers.RemovalObserved(key, pod.Metadata.Uid);
        }

        _expectations.DeletionObserved(key);
        Enqueue(key);
    }

    private void EnqueueMatching(V1Pod pod)
    {
        if (pod.Metadata.OwnerReferences?.Any(o => o.Controller == true) == true)
        {
            return;
        }

        foreach (var job in _jobs.Cache.List(pod.Metadata.NamespaceProperty))
        {
            if (Timonel.Client.Objects.LabelSelectors.Matches(job.Spec.Selector, pod.Metadata.Labels))
            {
                Enqueue(ObjectKey.Of(job));
            }
        }
    }
}
