namespace Timonel.Controllers.GarbageCollector;

/// <summary>
/// Maps an apiVersion and kind to its resource and scope (the garbage collector's RESTMapper), from discovery of every
/// version of every group, so an owner reference to a non-preferred version still resolves. Refreshed with
/// discovery; a kind it does not know yet (a CRD just created) is a transient error and retried.
/// </summary>
internal sealed class ResourceMapper
{
    private readonly Lock _lock = new();
    private Dictionary<(string GroupVersion, string Kind), ApiResource> _byKind = [];

    public void Replace(IEnumerable<ApiResource> resources)
    {
        var byKind = new Dictionary<(string, string), ApiResource>();
        foreach (var resource in resources)
        {
            byKind.TryAdd((resource.GroupVersion, resource.Kind), resource);
        }

        lock (_lock)
        {
            _byKind = byKind;
        }
    }

    public void Add(ApiResource resource)
    {
        lock (_lock)
        {
            _byKind = new Dictionary<(string, string), ApiResource>(_byKind) { [(resource.GroupVersion, resource.Kind)] = resource };
        }
    }

    /// <exception cref="InvalidOperationException">Discovery does not know the kind (yet).</exception>
    public ApiResource Find(string apiVersion, string kind)
    {
        lock (_lock)
        {
            return _byKind.TryGetValue((apiVersion, kind), out var resource)
                ? resource
                : throw new InvalidOperationException($"unable to get REST mapping for {apiVersion}/{kind}");
        }
    }
}
