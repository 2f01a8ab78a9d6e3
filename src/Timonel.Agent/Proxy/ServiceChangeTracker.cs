namespace Timonel.Agent.Proxy;

/// <summary>
/// The Services ("namespace/name") whose object or EndpointSlices changed since the last sync (upstream's
/// ServiceChangeTracker and EndpointsChangeTracker, keeping only which): informer handlers mark them, the sync loop
/// takes them.
/// </summary>
public sealed class ServiceChangeTracker
{
    private readonly HashSet<string> _changed = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public void MarkChanged(string serviceKey)
    {
        lock (_lock)
        {
            _changed.Add(serviceKey);
        }
    }

    /// <summary>The Services marked since the last call; marks made meanwhile wait for the next.</summary>
    public IReadOnlyList<string> TakeChanged()
    {
        lock (_lock)
        {
            string[] changed = [.. _changed];
            _changed.Clear();
            return changed;
        }
    }
}
