using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Client.Informers;

namespace Timonel.Controllers.TtlAfterFinished;

/// <summary>
/// Deletes a finished Job spec.ttlSecondsAfterFinished after it finished, as kube-controller-manager's
/// ttl-after-finished controller does (pkg/controller/ttlafterfinished/ttlafterfinished_controller.go): the finish
/// time is the Complete or Failed condition's lastTransitionTime; a Job not yet due is requeued for the moment it is
/// (through the <see cref="TimeProvider"/>); a due Job is read afresh (its TTL may have changed) and deleted with
/// foreground propagation and a precondition on its UID, so a Job re-created under the same name survives.
/// </summary>
public sealed class TtlAfterFinishedController : ControllerBase
{
    /// <summary>The component name upstream gives this controller.</summary>
    public const string Component = "ttl-after-finished-controller";

    private readonly IKubernetes _client;
    private readonly SharedInformer<V1Job> _jobs;

    public TtlAfterFinishedController(IKubernetes client, SharedInformer<V1Job> jobs, TimeProvider time, ILogger<TtlAfterFinishedController> logger)
        : base(logger, time, [jobs], workers: 5)
    {
        _client = client;
        _jobs = jobs;
        jobs.AddHandlers(new(OnAdd: EnqueueIfNeeded, OnUpdate: (_, job) => EnqueueIfNeeded(job)));
    }

    /// <summary>processJob.</summary>
    public override async Task<SyncResult> SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKey.Split(key);
        if (_jobs.Cache.Get(ns, name) is not { } cached)
        {
            return SyncResult.Done;
        }

        var (due, wait) = Expiry(cached);
        if (!due)
        {
            return wait is { } delay ? SyncResult.Requeue(delay) : SyncResult.Done;
        }

        // The cached TTL may be stale: decide again on the Job as stored now.
        V1Job fresh;
        try
        {
            fresh = await _client.BatchV1.ReadNamespacedJobAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return SyncResult.Done;
        }

        (due, wait) = Expiry(fresh);
        if (!due)
        {
            return wait is { } delay ? SyncResult.Requeue(delay) : SyncResult.Done;
        }

        Logger.LogDebug("cleaning up job {Namespace}/{Name}", ns, name);
        var options = new V1DeleteOptions
        {
            PropagationPolicy = "Foreground",
            Preconditions = new V1Preconditions { Uid = fresh.Metadata.Uid },
        };
        try
        {
            await _client.BatchV1.DeleteNamespacedJobAsync(name, ns, options, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone.
        }

        return SyncResult.Done;
    }

    /// <summary>needsCleanup: a TTL is set and the Job finished.</summary>
    private static bool NeedsCleanup(V1Job job) => job.Spec?.TtlSecondsAfterFinished is not null && JobFinish.IsFinished(job);

    private void EnqueueIfNeeded(V1Job job)
    {
        if (job.Metadata.DeletionTimestamp is null && NeedsCleanup(job))
        {
            Enqueue(ObjectKey.Of(job));
        }
    }

    /// <summary>
    /// processTTL and timeLeft: whether the Job's TTL has run out, else how long until it does (null: nothing to
    /// clean, as a Job being deleted or without TTL). A finish time missing from the condition is an error, retried.
    /// </summary>
    private (bool Due, TimeSpan? Wait) Expiry(V1Job job)
    {
        if (job.Metadata.DeletionTimestamp is not null || !NeedsCleanup(job))
        {
            return (false, null);
        }

        var finishedAt = JobFinish.FinishTime(job)
            ?? throw new InvalidOperationException($"unable to find the time when the Job {job.Metadata.NamespaceProperty}/{job.Metadata.Name} finished");
        var now = Time.GetUtcNow();
        if (finishedAt > now)
        {
            Logger.LogInformation("Warning: Found Job finished in the future. This is likely due to time skew in the cluster. Job cleanup will be deferred. job={Namespace}/{Name}", job.Metadata.NamespaceProperty, job.Metadata.Name);
        }

        var remaining = finishedAt.AddSeconds(job.Spec.TtlSecondsAfterFinished!.Value) - now;
        return remaining <= TimeSpan.Zero ? (true, null) : (false, remaining);
    }
}
