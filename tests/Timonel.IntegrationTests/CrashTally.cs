using System.Collections.Concurrent;
using System.Globalization;

namespace Timonel.IntegrationTests;

/// <summary>The figures of a run of crash trials: what was acknowledged, what the restarts showed, and how long it took.</summary>
/// <param name="datastoreOutages">
/// The datastore is killed under a live server, so a 5xx answer is an unknown outcome rather than a fault.
/// </param>
internal sealed class CrashTally(string label, bool datastoreOutages)
{
    private const int KeptDetails = 20;
    private readonly ConcurrentQueue<string> _problems = new();
    private readonly List<TimeSpan> _trialTimes = [];
    private long _creates;
    private long _updates;
    private long _deletes;
    private long _checks;
    private long _inFlightApplied;
    private long _lost;
    private long _resurrected;
    private long _regressions;
    private long _corrupted;
    private long _failedOpens;
    private long _unexpected;
    private long _problemCount;
    private int _startCrashes;
    private long _serverErrors;

    public int Trials => _trialTimes.Count;

    public long AcknowledgedWrites => Interlocked.Read(ref _creates) + Interlocked.Read(ref _updates) + Interlocked.Read(ref _deletes);

    /// <summary>Lost or resurrected writes, resourceVersion regressions, corrupt objects, failed opens and unexpected answers.</summary>
    public long ProblemCount => Interlocked.Read(ref _problemCount);

    /// <summary>The first problems found, one line each, for the failure message.</summary>
    public string Problems => string.Join('\n', _problems);

    public void Acknowledged(CrashOperation operation) => Interlocked.Increment(ref AcknowledgedCounter(operation));

    public void Record(CrashVerdict verdict, TrackedObject tracked, ObservedObject? seen)
    {
        Interlocked.Increment(ref _checks);
        if (verdict == CrashVerdict.InFlightApplied)
        {
            Interlocked.Increment(ref _inFlightApplied);
        }
        else if (verdict != CrashVerdict.Kept)
        {
            var found = seen is null ? "absent" : $"value {seen.Value} at resourceVersion {seen.ResourceVersion}";
            Count(ref VerdictCounter(verdict), $"{verdict} {tracked.Name}: acknowledged {tracked.State} value {tracked.Value} at resourceVersion {tracked.ResourceVersion} (in flight: {tracked.InFlight}), found {found}");
        }
    }

    public void Regression(string detail) => Count(ref _regressions, detail);

    public void Corrupt(string detail) => Count(ref _corrupted, detail);

    public void FailedOpen(string detail) => Count(ref _failedOpens, detail);

    public void Unexpected(string detail) => Count(ref _unexpected, detail);

    /// <summary>A 5xx answer: the outcome of the write is unknown, which only a datastore outage excuses.</summary>
    public void ServerError(string detail)
    {
        if (datastoreOutages)
        {
            Interlocked.Increment(ref _serverErrors);
            return;
        }

        Unexpected(detail);
    }

    public void CrashedDuringStart() => _startCrashes++;

    public void TrialDone(TimeSpan elapsed) => _trialTimes.Add(elapsed);

    /// <summary>One line with every figure docs/crash-safety.md reports.</summary>
    public string Summary(int seed)
    {
        var average = Trials == 0 ? 0 : _trialTimes.Average(t => t.TotalSeconds);
        var longest = Trials == 0 ? 0 : _trialTimes.Max(t => t.TotalSeconds);
        return string.Create(CultureInfo.InvariantCulture, $"""
            {label}: {Trials} trials (seed {seed}; {_startCrashes} with a second kill -9 during the restart), {AcknowledgedWrites} acknowledged writes ({_creates} creates, {_updates} updates, {_deletes} deletes), {_checks} checks of a tracked object (live or deleted) after a restart, {_inFlightApplied} in-flight writes applied; lost {_lost}, resurrected {_resurrected}, RV regressions {_regressions}, corrupt {_corrupted}, failed opens {_failedOpens}, unexpected answers {_unexpected}, 5xx during datastore outages {_serverErrors}; {average:F1} s per trial on average, {longest:F1} s at most
            """);
    }

    private ref long AcknowledgedCounter(CrashOperation operation)
    {
        if (operation == CrashOperation.Create)
        {
            return ref _creates;
        }

        return ref operation == CrashOperation.Update ? ref _updates : ref _deletes;
    }

    private ref long VerdictCounter(CrashVerdict verdict)
    {
        switch (verdict)
        {
            case CrashVerdict.Lost:
                return ref _lost;
            case CrashVerdict.Resurrected:
                return ref _resurrected;
            case CrashVerdict.Regressed:
                return ref _regressions;
            default:
                return ref _corrupted;
        }
    }

    private void Count(ref long counter, string detail)
    {
        Interlocked.Increment(ref counter);
        Problem(detail);
    }

    private void Problem(string detail)
    {
        if (Interlocked.Increment(ref _problemCount) <= KeptDetails)
        {
            _problems.Enqueue(detail);
        }
    }
}
