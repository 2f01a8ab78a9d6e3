using System.Collections.Concurrent;
using Timonel.ApiServer.Admission;
using Timonel.ApiServer.Watch;
using Timonel.Storage;

namespace Timonel.ApiServer.Registry;

/// <summary>
/// The served resources and their stores, found by group, version and URL name. Built-in kinds are registered at
/// start; custom resources come and go with their CustomResourceDefinitions. Create-only kinds (the review APIs)
/// are served and discovered like the others but have no store.
/// </summary>
public sealed class StoreRegistry
{
    private readonly ConcurrentDictionary<(string Group, string Version, string Plural), GenericStore> _stores = new();
    private readonly ConcurrentDictionary<(string Group, string Version, string Plural), ResourceDefinition> _createOnly = new();
    private readonly IStorageBackend _storage;
    private readonly WatchCache _cache;
    private readonly TimeProvider _time;

    public StoreRegistry(IEnumerable<ResourceDefinition> definitions, IStorageBackend storage, WatchCache cache, TimeProvider time, IReadOnlyDictionary<(string Group, string Plural), IStoreHook>? hooks = null)
    {
        _storage = storage;
        _cache = cache;
        _time = time;
        foreach (var definition in definitions)
        {
            if (definition.CreateOnly)
            {
                _createOnly[(definition.Group, definition.Version, definition.Plural)] = definition with { Order = NextOrder(definition) };
            }
            else
            {
                Register(definition, hooks?.GetValueOrDefault((definition.Group, definition.Plural)));
            }
        }
    }

    /// <summary>
    /// The admission chain every store's writes pass through: the built-in plugins until the server, once its
    /// authorizer exists, sets the full chain (<see cref="AdmissionChain.Default"/>).
    /// </summary>
    public AdmissionChain Admission { get; set; } = AdmissionChain.BuiltIn;

    /// <summary>Definitions in registration order of their group (core first), for discovery.</summary>
    public IEnumerable<ResourceDefinition> Definitions =>
        _stores.Values.Select(s => s.Definition).Concat(_createOnly.Values).OrderBy(d => d.Order);

    public GenericStore Register(ResourceDefinition definition, IStoreHook? hook = null)
    {
        var store = new GenericStore(definition with { Order = NextOrder(definition) }, _storage, _cache, _time, hook, () => Admission);
        _stores[(definition.Group, definition.Version, definition.Plural)] = store;
        return store;
    }

    public void Unregister(string group, string version, string plural) => _stores.TryRemove((group, version, plural), out _);

    public GenericStore? Find(string group, string version, string plural) => _stores.GetValueOrDefault((group, version, plural));

    /// <summary>The create-only kind served at the URL, or null (a stored kind or none).</summary>
    public ResourceDefinition? FindCreateOnly(string group, string version, string plural) => _createOnly.GetValueOrDefault((group, version, plural));

    public GenericStore Get(string group, string plural) =>
        _stores.Values.First(s => s.Definition.Group == group && s.Definition.Plural == plural);

    /// <summary>Groups in the order discovery lists them, each with its versions.</summary>
    public IEnumerable<(string Group, IReadOnlyList<string> Versions)> Groups() =>
        Definitions.Where(d => d.Group.Length > 0)
            .GroupBy(d => d.Group)
            .Select(g => (g.Key, (IReadOnlyList<string>)g.Select(d => d.Version).Distinct().ToList()));

    private int NextOrder(ResourceDefinition definition) => definition.Order == 0 ? _stores.Count + _createOnly.Count + 1 : definition.Order;
}
