using Microsoft.Extensions.Logging;

namespace Timonel.Client.LeaderElection;

/// <summary>
/// One candidate in an election on a lock (client-go's tools/leaderelection.LeaderElector): it acquires the lock
/// when it is free or its holder stopped renewing, then renews it every retry period until a renewal fails for a
/// whole renew deadline or the candidate is stopped. A holder's silence is judged on this candidate's own clock
/// (the time it last saw the record change), never by comparing another host's renewTime with ours.
/// A candidate also watches the lock, so it sees each renewal when it happens rather than at its next retry, and
/// it makes its next attempt at the very moment the lease expires when that comes before its next retry; so a
/// failover after the leader dies takes a lease duration from the leader's last renewal, not up to two retries
/// more. The retries go on as before and cover a watch that breaks.
/// </summary>
public sealed class LeaderElector
{
    private readonly IResourceLock _lock;
    private readonly LeaderElectionConfig _config;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _observedLock = new();
    private LeaderElectionRecord? _observedRecord;
    private DateTimeOffset _observedTime;

    // Counts observations, so an attempt can tell that the watch saw a record while its read was under way.
    private long _observations;

    // Completed, then replaced, at each change of the observed record: wakes a candidate waiting for its next attempt.
    private TaskCompletionSource _observedChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string _reportedLeader = "";

    public LeaderElector(IResourceLock resourceLock, LeaderElectionConfig config, TimeProvider time, ILogger logger)
    {
        if (config.LeaseDuration <= config.RenewDeadline)
        {
            // client-go's NewLeaderElector checks.
            throw new ArgumentException("leaseDuration must be greater than renewDeadline", nameof(config));
        }

        if (config.RenewDeadline <= config.RetryPeriod * config.JitterFactor)
        {
            throw new ArgumentException("renewDeadline must be greater than retryPeriod*JitterFactor", nameof(config));
        }

        _lock = resourceLock;
        _config = config;
        _time = time;
        _logger = logger;
    }

    /// <summary>True when the last record this candidate saw or wrote names it as the holder.</summary>
    public bool IsLeader
    {
        get
        {
            lock (_observedLock)
            {
                return _observedRecord?.HolderIdentity == _lock.Identity;
            }
        }
    }

    /// <summary>The holder in the last record seen or written; empty when none was seen or the lease was released.</summary>
    public string Leader
    {
        get
        {
            lock (_observedLock)
            {
                return _observedRecord?.HolderIdentity ?? "";
            }
        }
    }

    /// <summary>
    /// Campaigns until this candidate leads, runs <see cref="LeaderCallbacks.OnStartedLeading"/> while it renews, and
    /// returns when leadership is lost or <paramref name="cancellationToken"/> is cancelled (client-go's Run).
    /// </summary>
    public async Task RunAsync(LeaderCallbacks callbacks, CancellationToken cancellationToken)
    {
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watch = WatchAsync(watching.Token);
        try
        {
            bool acquired;
            try
            {
                acquired = await AcquireAsync(callbacks, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // Only a candidate watches. Cancelled on this thread, and the watch's end awaited only when the run
                // ends, so a new leader starts its work without waiting on the thread pool.
                watching.Cancel();
            }

            if (!acquired)
            {
                return;
            }

            using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var work = RunLeadingAsync(callbacks, leading.Token);
            await RenewAsync(callbacks, cancellationToken).ConfigureAwait(false);
            // renew's deferred RecordEvent; not on the caller's token, which a graceful stop has cancelled.
            using (var recording = new CancellationTokenSource(_config.RenewDeadline, _time))
            {
                await _lock.RecordEventAsync("stopped leading", recording.Token).ConfigureAwait(false);
            }

            // Cancelled on this thread (CancelAsync would hand the callbacks to the thread pool), so the work is told to
            // stop before anything else runs.
            leading.Cancel();
            // Upstream releases first and leaves stopping to the process exit; here the work stops before the lease
            // is handed over, so two leaders never run side by side in a process that lives on.
            await work.ConfigureAwait(false);
            if (_config.ReleaseOnCancel && cancellationToken.IsCancellationRequested)
            {
                await ReleaseAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            await watch.ConfigureAwait(false);
            callbacks.OnStoppedLeading();
        }
    }

    /// <summary>
    /// One attempt (client-go's tryAcquireOrRenew): true when this candidate holds the lock afterwards. Creates the
    /// lock when there is none; takes it when it is free (empty holder) or its holder has not changed the record
    /// for the record's lease duration on this candidate's clock; renews it when already held.
    /// </summary>
    public async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var desired = new LeaderElectionRecord(_lock.Identity, (int)_config.LeaseDuration.TotalSeconds, now, now, 0);
        try
        {
            // 1. The leader writes optimistically over the version it last wrote.
            if (IsLeader && IsLeaseValid(now))
            {
                var observed = ObservedRecord!;
                var renewal = desired with { AcquireTime = observed.AcquireTime, LeaderTransitions = observed.LeaderTransitions };
                try
                {
                    await _lock.UpdateAsync(renewal, cancellationToken).ConfigureAwait(false);
                    SetObservedRecord(renewal);
                    return true;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _logger.LogError("Failed to update lock optimistically: {Error}, falling back to slow path", ex.Message);
                }
            }

            // 2. Read the record, or create it.
            var observationsBefore = Observations;
            var current = await _lock.GetAsync(cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                await _lock.CreateAsync(desired, cancellationToken).ConfigureAwait(false);
                SetObservedRecord(desired);
                return true;
            }

            // 3. The holder's time runs from when this candidate saw the record change. When the watch saw a record
            // during the read, that observation stands: the read may return the older one, and taking it would restart
            // the holder's time.
            if (current != ObservedRecord && Observations == observationsBefore)
            {
                SetObservedRecord(current);
            }

            if (current.HolderIdentity.Length > 0 && IsLeaseValid(now) && !IsLeader)
            {
                return false;
            }

            // 4. Take or renew it over the version just read; a concurrent writer makes this fail.
            var update = IsLeader
                ? desired with { AcquireTime = current.AcquireTime, LeaderTransitions = current.LeaderTransitions }
                : desired with { LeaderTransitions = current.LeaderTransitions + 1 };
            await _lock.UpdateAsync(update, cancellationToken).ConfigureAwait(false);
            SetObservedRecord(update);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (Exception ex)
        {
            _logger.LogError("error acquiring or renewing lease {Lock}: {Error}", _lock.Describe, ex.Message);
            return false;
        }
    }

    /// <summary>
    /// Hands the lock back when this candidate holds it (client-go's release): holder empty, lease duration 1 s, so
    /// the next candidate takes it at its next retry. False when the write failed.
    /// </summary>
    public async Task<bool> ReleaseAsync()
    {
        // Not the caller's token: it is cancelled already when a graceful stop releases.
        using var timeout = new CancellationTokenSource(_config.RenewDeadline, _time);
        try
        {
            // Read for a fresh resourceVersion; a lock taken over meanwhile is not ours to clear.
            var current = await _lock.GetAsync(timeout.Token).ConfigureAwait(false);
            if (!IsLeader || current is null || current.HolderIdentity != _lock.Identity)
            {
                return true;
            }

            var now = _time.GetUtcNow();
            var released = new LeaderElectionRecord("", 1, now, now, current.LeaderTransitions);
            await _lock.UpdateAsync(released, timeout.Token).ConfigureAwait(false);
            SetObservedRecord(released);
            return true;
        }
        catch (Exception ex)
        {
            _logger.LogError("Failed to release lock: {Error}", ex.Message);
            return false;
        }
    }

    private LeaderElectionRecord? ObservedRecord
    {
        get
        {
            lock (_observedLock)
            {
                return _observedRecord;
            }
        }
    }

    private long Observations
    {
        get
        {
            lock (_observedLock)
            {
                return _observations;
            }
        }
    }

    private async Task<bool> AcquireAsync(LeaderCallbacks callbacks, CancellationToken cancellationToken)
    {
        _logger.LogInformation("attempting to acquire leader lease {Lock}...", _lock.Describe);
        while (!cancellationToken.IsCancellationRequested)
        {
            var attempted = _time.GetUtcNow();
            var acquired = await TryAcquireOrRenewAsync(cancellationToken).ConfigureAwait(false);
            MaybeReportTransition(callbacks);
            if (acquired)
            {
                await _lock.RecordEventAsync("became leader", cancellationToken).ConfigureAwait(false);
                _logger.LogInformation("successfully acquired lease {Lock}", _lock.Describe);
                return true;
            }

            // wait.JitterUntil: RetryPeriod plus up to JitterFactor times more, so candidates do not retry in step.
            var retry = _time.GetUtcNow() + _config.RetryPeriod + (_config.RetryPeriod * (_config.JitterFactor * Random.Shared.NextDouble()));
            if (!await WaitForNextAttemptAsync(attempted, retry, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>
    /// Waits until the jittered retry or, when sooner, the moment the observed lease can be taken; a record the watch
    /// brings meanwhile moves that moment. False when cancelled.
    /// </summary>
    private async Task<bool> WaitForNextAttemptAsync(DateTimeOffset attempted, DateTimeOffset retry, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            DateTimeOffset next;
            lock (_observedLock)
            {
                changed = _observedChanged.Task;
                next = Min(retry, TakeableAt(attempted) ?? retry);
            }

            var wait = next - _time.GetUtcNow();
            if (wait <= TimeSpan.Zero)
            {
                return !cancellationToken.IsCancellationRequested;
            }

            using var woken = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = DelayAsync(wait, woken.Token);
            if (await Task.WhenAny(delay, changed).ConfigureAwait(false) == delay)
            {
                return await delay.ConfigureAwait(false);
            }

            await woken.CancelAsync().ConfigureAwait(false);
            await delay.ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// When the observed record can first be taken: at once when it has no holder, else a lease duration after this
    /// candidate saw it change. Null when that moment is not after <paramref name="attempted"/>, which already judged it
    /// (so a write that keeps failing is retried on the jittered period, not in a tight loop). Under _observedLock.
    /// </summary>
    private DateTimeOffset? TakeableAt(DateTimeOffset attempted)
    {
        if (_observedRecord is not { } record || record.HolderIdentity == _lock.Identity)
        {
            return null;
        }

        var takeable = record.HolderIdentity.Length == 0 ? _observedTime : _observedTime + TimeSpan.FromSeconds(record.LeaseDurationSeconds);
        return takeable > attempted ? takeable : null;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>Observes each record the watch brings until cancelled; a broken watch is opened again a retry period later.</summary>
    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var record in _lock.WatchAsync(cancellationToken).ConfigureAwait(false))
                {
                    Observe(record);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The jittered retries still read the lock, so the campaign goes on without the watch.
                _logger.LogDebug("watch of lease {Lock} failed: {Error}", _lock.Describe, ex.Message);
            }

            if (!await DelayAsync(_config.RetryPeriod, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    private void Observe(LeaderElectionRecord record)
    {
        lock (_observedLock)
        {
            if (record != _observedRecord)
            {
                SetObservedRecord(record);
            }
        }
    }

    private async Task RenewAsync(LeaderCallbacks callbacks, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            using var deadline = new CancellationTokenSource(_config.RenewDeadline, _time);
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            var renewed = await RenewBeforeDeadlineAsync(attempt.Token).ConfigureAwait(false);
            MaybeReportTransition(callbacks);
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            if (!renewed)
            {
                // client-go's message when wait.PollImmediateUntil runs out of its renew deadline.
                _logger.LogInformation("failed to renew lease {Lock}: timed out waiting for the condition", _lock.Describe);
                return;
            }

            if (!await DelayAsync(_config.RetryPeriod, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    private async Task<bool> RenewBeforeDeadlineAsync(CancellationToken deadline)
    {
        while (!deadline.IsCancellationRequested)
        {
            if (await TryAcquireOrRenewAsync(deadline).ConfigureAwait(false))
            {
                return true;
            }

            if (!await DelayAsync(_config.RetryPeriod, deadline).ConfigureAwait(false))
            {
                return false;
            }
        }

        return false;
    }

    private async Task RunLeadingAsync(LeaderCallbacks callbacks, CancellationToken leading)
    {
        try
        {
            await callbacks.OnStartedLeading(leading).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (leading.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "the work run while leading {Lock} failed", _lock.Describe);
        }
    }

    private async Task<bool> DelayAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private bool IsLeaseValid(DateTimeOffset now)
    {
        lock (_observedLock)
        {
            return _observedTime + TimeSpan.FromSeconds(_observedRecord?.LeaseDurationSeconds ?? 0) > now;
        }
    }

    private void SetObservedRecord(LeaderElectionRecord record)
    {
        lock (_observedLock)
        {
            _observedRecord = record;
            _observedTime = _time.GetUtcNow();
            _observations++;
            _observedChanged.TrySetResult();
            _observedChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    private void MaybeReportTransition(LeaderCallbacks callbacks)
    {
        var holder = Leader;
        if (holder == _reportedLeader)
        {
            return;
        }

        _reportedLeader = holder;
        callbacks.OnNewLeader(holder);
    }
}
