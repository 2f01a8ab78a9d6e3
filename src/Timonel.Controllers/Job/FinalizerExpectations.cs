namespace Timonel.Controllers.Job;

/// <summary>
/// Pods whose tracking finalizer the controller removed and whose update it has not seen yet, per job
/// (uidTrackingExpectations, pkg/controller/job/tracking_utils.go): until then the pod's outcome is taken as counted,
/// so a lagging cache never counts it twice.
/// </summary>
internal sealed class FinalizerExpectations
{
    private readonly Dictionary<string, HashSet<string>> _byJob = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public IReadOnlySet<string> ExpectedUids(string jobKey)
    {
        lock (_lock)
        {
            return _byJob.TryGetValue(jobKey, out var uids) ? new HashSet<string>(uids, StringComparer.Ordinal) : new HashSet<string>(StringComparer.Ordinal);
        }
    }

    public void ExpectRemoval(string jobKey, string uid)
    {
        lock (_lock)
        {
            if (!_byJob.TryGetValue(jobKey, out var uids))
            {
                _byJob[jobKey] = uids = new HashSet<string>(StringComparer.Ordinal);
            }

            uids.Add(uid);
        }
    }

    public void RemovalObserved(string jobKey, string uid)
    {
        lock (_lock)
        {
            if (_byJob.TryGetValue(jobKey, out var uids) && uids.Remove(uid) && uids.Count == 0)
            {
                _byJob.Remove(jobKey);
            }
        }
    }

    public void Delete(string jobKey)
    {
        lock (_lock)
        {
            _byJob.Remove(jobKey);
        }
    }
}
