using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.Client.LeaderElection;
using Timonel.Testing.Events;

namespace Timonel.Client.Tests.LeaderElection;

public sealed class LeaderElectorTests
{
    private static readonly DateTimeOffset _start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeLeaseClient _store = new();
    private readonly RecordingEventRecorder _events = new();
    private readonly FakeTimeProvider _time = new(_start);

    [Fact]
    public async Task TryAcquireOrRenew_NoLease_CreatesLeaseHeldByCandidate()
    {
        var a = Candidate("a");

        var acquired = await a.TryAcquireOrRenewAsync(CancellationToken.None);

        Assert.True(acquired);
        Assert.True(a.IsLeader);
        var spec = _store.Spec!;
        Assert.Equal("a", spec.HolderIdentity);
        Assert.Equal(15, spec.LeaseDurationSeconds);
        Assert.Equal(0, spec.LeaseTransitions);
        Assert.Equal(_start.UtcDateTime, spec.AcquireTime);
        Assert.Equal(_start.UtcDateTime, spec.RenewTime);
    }

    [Theory]
    [InlineData(14.9, false)]
    [InlineData(15, true)]
    public async Task TryAcquireOrRenew_HolderSilent_TakenOnceLeaseDurationPassedSinceRecordSeen(double seconds, bool taken)
    {
        var a = Candidate("a");
        var b = Candidate("b");
        await a.TryAcquireOrRenewAsync(CancellationToken.None);
        Assert.False(await b.TryAcquireOrRenewAsync(CancellationToken.None));

        _time.Advance(TimeSpan.FromSeconds(seconds));
        var acquired = await b.TryAcquireOrRenewAsync(CancellationToken.None);

        Assert.Equal(taken, acquired);
        Assert.Equal(taken ? "b" : "a", _store.Holder);
        Assert.Equal(taken ? 1 : 0, _store.Spec!.LeaseTransitions);
    }

    [Fact]
    public async Task TryAcquireOrRenew_HolderClockAnHourBehind_NotTakenUntilSilentForLeaseDurationOnOwnClock()
    {
        // The holder's renewTime is an hour old by b's clock; only b's own observation counts.
        var a = Candidate("a", new FakeTimeProvider(_start - TimeSpan.FromHours(1)));
        var b = Candidate("b");
        await a.TryAcquireOrRenewAsync(CancellationToken.None);

        var first = await b.TryAcquireOrRenewAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(15));
        var later = await b.TryAcquireOrRenewAsync(CancellationToken.None);

        Assert.False(first);
        Assert.True(later);
        Assert.Equal("b", _store.Holder);
    }

    [Fact]
    public async Task TryAcquireOrRenew_LeaderRenews_RenewTimeMovesAndOthersWaitFromTheRenewal()
    {
        var a = Candidate("a");
        var b = Candidate("b");
        await a.TryAcquireOrRenewAsync(CancellationToken.None);
        await b.TryAcquireOrRenewAsync(CancellationToken.None);

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.True(await a.TryAcquireOrRenewAsync(CancellationToken.None));
        var renewed = _store.Spec!;
        Assert.False(await b.TryAcquireOrRenewAsync(CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(14));
        var beforeExpiry = await b.TryAcquireOrRenewAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1));
        var afterExpiry = await b.TryAcquireOrRenewAsync(CancellationToken.None);

        Assert.Equal(_start.UtcDateTime, renewed.AcquireTime);
        Assert.Equal((_start + TimeSpan.FromSeconds(2)).UtcDateTime, renewed.RenewTime);
        Assert.Equal(0, renewed.LeaseTransitions);
        Assert.False(beforeExpiry);
        Assert.True(afterExpiry);
        Assert.Equal((_start + TimeSpan.FromSeconds(17)).UtcDateTime, _store.Spec!.AcquireTime);
        Assert.True(b.IsLeader);
    }

    [Fact]
    public async Task TryAcquireOrRenew_AnotherCandidateWritesFirst_OnlyThatOneHolds()
    {
        var gone = Candidate("gone");
        var a = Candidate("a");
        var b = Candidate("b");
        await gone.TryAcquireOrRenewAsync(CancellationToken.None);
        await a.TryAcquireOrRenewAsync(CancellationToken.None);
        await b.TryAcquireOrRenewAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(15));
        var aAcquired = false;
        // a takes the lease between b's read and b's write, so b's write carries a stale resourceVersion.
        _store.BeforeNextReplace = async () => aAcquired = await a.TryAcquireOrRenewAsync(CancellationToken.None);

        var bAcquired = await b.TryAcquireOrRenewAsync(CancellationToken.None);

        Assert.True(aAcquired);
        Assert.False(bAcquired);
        Assert.Equal("a", _store.Holder);
        Assert.Equal(1, _store.Spec!.LeaseTransitions);
        Assert.True(a.IsLeader);
        Assert.False(b.IsLeader);
    }

    [Fact]
    public async Task Release_Leader_ClearsHolderAndNextCandidateTakesAtOnce()
    {
        var a = Candidate("a");
        var b = Candidate("b");
        await a.TryAcquireOrRenewAsync(CancellationToken.None);
        await b.TryAcquireOrRenewAsync(CancellationToken.None);

        Assert.True(await a.ReleaseAsync());
        var released = _store.Spec!;
        var taken = await b.TryAcquireOrRenewAsync(CancellationToken.None);

        Assert.Equal("", released.HolderIdentity);
        Assert.Equal(1, released.LeaseDurationSeconds);
        Assert.False(a.IsLeader);
        Assert.True(taken);
        Assert.Equal("b", _store.Holder);
    }

    [Fact]
    public async Task Release_LeaseTakenOverMeanwhile_LeavesItToTheNewHolder()
    {
        var a = Candidate("a");
        var b = Candidate("b");
        await a.TryAcquireOrRenewAsync(CancellationToken.None);
        await b.TryAcquireOrRenewAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(15));
        await b.TryAcquireOrRenewAsync(CancellationToken.None);

        await a.ReleaseAsync();

        Assert.Equal("b", _store.Holder);
    }

    [Fact]
    public async Task RunAsync_RenewalsFailForRenewDeadline_StopsLeadingAndAnotherTakesOver()
    {
        var a = Candidate("a");
        var b = Candidate("b");
        var leading = false;
        var stopped = false;
        var run = a.RunAsync(
            new LeaderCallbacks
            {
                OnStartedLeading = async token =>
                {
                    leading = true;
                    await Task.Delay(Timeout.Infinite, token).ContinueWith(_ => leading = false, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
                },
                OnStoppedLeading = () => stopped = true,
            },
            CancellationToken.None);
        await _time.AdvanceUntilAsync(() => leading, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5));

        _store.Unreachable = true;
        await _time.AdvanceUntilAsync(() => run.IsCompleted, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30));
        _store.Unreachable = false;
        var heldByA = _store.Holder;
        Assert.False(await b.TryAcquireOrRenewAsync(CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(15));
        var taken = await b.TryAcquireOrRenewAsync(CancellationToken.None);

        Assert.False(leading);
        Assert.True(stopped);
        Assert.Equal("a", heldByA);
        Assert.True(taken);
        Assert.Equal("b", _store.Holder);
    }

    [Fact]
    public async Task RunAsync_StoppedWithReleaseOnCancel_StopsWorkThenReleasesAndRecordsEvents()
    {
        var a = Candidate("a", config: new LeaderElectionConfig { ReleaseOnCancel = true });
        using var stop = new CancellationTokenSource();
        var leading = false;
        string? holderWhenWorkStopped = null;
        var run = a.RunAsync(
            new LeaderCallbacks
            {
                OnStartedLeading = async token =>
                {
                    leading = true;
                    await Task.Delay(Timeout.Infinite, token).ContinueWith(_ => holderWhenWorkStopped = _store.Holder, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
                },
            },
            stop.Token);
        await _time.AdvanceUntilAsync(() => leading, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5));
        await _time.AdvanceUntilAsync(() => _store.Spec!.RenewTime > _start.UtcDateTime, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5));

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("a", holderWhenWorkStopped);
        Assert.Equal("", _store.Holder);
        Assert.Equal(1, _store.Spec!.LeaseDurationSeconds);
        Assert.Equal(["a became leader", "a stopped leading"], _events.Events.Select(e => e.Message));
        var recorded = _events.Events[0];
        Assert.Equal(("Normal", "LeaderElection"), (recorded.Type, recorded.Reason));
        Assert.Equal(("coordination.k8s.io/v1", "Lease", "kube-system", "kube-controller-manager"), (recorded.InvolvedObject.ApiVersion, recorded.InvolvedObject.Kind, recorded.InvolvedObject.NamespaceProperty, recorded.InvolvedObject.Name));
    }

    [Fact]
    public async Task RunAsync_RenewalSeenOnlyThroughWatch_TakesLeaseLeaseDurationAfterTheWatchEvent()
    {
        var a = Candidate("a");
        var b = Candidate("b");
        await a.TryAcquireOrRenewAsync(CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var run = b.RunAsync(new LeaderCallbacks { OnStartedLeading = token => Task.Delay(Timeout.Infinite, token) }, stop.Token);
        await UntilAsync(() => _store.Watches == 1 && _store.Undelivered == 0);
        // From here b learns of a's renewal only through its watch: its own reads fail.
        _store.GetUnreachable = true;
        await AdvanceToAsync(TimeSpan.FromSeconds(5));

        Assert.True(await a.TryAcquireOrRenewAsync(CancellationToken.None));
        await UntilAsync(() => _store.Undelivered == 0);
        await AdvanceToAsync(TimeSpan.FromSeconds(19.9));
        _store.GetUnreachable = false;
        var heldBeforeExpiry = _store.Holder;
        _time.Advance(TimeSpan.FromSeconds(0.1));
        await UntilAsync(() => _store.Holder == "b");

        Assert.Equal("a", heldBeforeExpiry);
        Assert.Equal((_start + TimeSpan.FromSeconds(20)).UtcDateTime, _store.Spec!.AcquireTime);
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task RunAsync_HolderSilentAndNoWatch_AttemptsExactlyWhenTheLeaseExpires()
    {
        var a = Candidate("a");
        var b = Candidate("b");
        await a.TryAcquireOrRenewAsync(CancellationToken.None);
        // Polling alone: b sees a's record at its first attempt, at the start, and never again changed.
        _store.WatchUnreachable = true;
        using var stop = new CancellationTokenSource();
        var run = b.RunAsync(new LeaderCallbacks { OnStartedLeading = token => Task.Delay(Timeout.Infinite, token) }, stop.Token);
        await UntilAsync(() => b.Leader == "a");

        await AdvanceToAsync(TimeSpan.FromSeconds(14.9));
        var heldBeforeExpiry = _store.Holder;
        _time.Advance(TimeSpan.FromSeconds(0.1));
        await UntilAsync(() => _store.Holder == "b");

        Assert.Equal("a", heldBeforeExpiry);
        // Not at the next jittered retry after expiry (2 to 4.4 s apart), but at the expiry itself.
        Assert.Equal((_start + TimeSpan.FromSeconds(15)).UtcDateTime, _store.Spec!.AcquireTime);
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// Moves the fake clock to <paramref name="sinceStart"/> in 100 ms steps, letting the woken loops run between them.
    /// A loop that lags reads a later time, never an earlier one, so an attempt is never seen before it is due.
    /// </summary>
    private async Task AdvanceToAsync(TimeSpan sinceStart)
    {
        var step = TimeSpan.FromMilliseconds(100);
        while (_time.GetUtcNow() - _start + step <= sinceStart + TimeSpan.FromTicks(1))
        {
            _time.Advance(step);
            for (var i = 0; i < 20; i++)
            {
                await Task.Yield();
            }
        }
    }

    /// <summary>Waits, with the fake clock standing still, for the candidates to reach <paramref name="condition"/>.</summary>
    private static async Task UntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            Assert.False(timeout.IsCancellationRequested, "the condition did not hold with the clock standing still");
            await Task.Delay(1, CancellationToken.None);
        }
    }

    private LeaderElector Candidate(string identity, TimeProvider? time = null, LeaderElectionConfig? config = null)
    {
        var clock = time ?? _time;
        var resourceLock = new LeaseLock(_store, "kube-system", "kube-controller-manager", identity, _events);
        return new LeaderElector(resourceLock, config ?? new LeaderElectionConfig(), clock, NullLogger.Instance);
    }
}
