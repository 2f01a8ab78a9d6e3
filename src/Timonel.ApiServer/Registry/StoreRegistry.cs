using Timonel.ApiServer.Watch;
using Timonel.Storage;

namespace Timonel.ApiServer.Registry;

/// <summary>The served resources and their stores, found by group, version and URL name.</summary>
public sealed class StoreRegistry
{
    private readonly Dictionary<(string Group, string Version, string Plural), GenericStore> _stores = [];

    public StoreRegistry(IEnumerable<ResourceDefinition> definitions, IStorageBackend storage, WatchCache cache, TimeProvider time, IReadOnlyDictionary<(string Group, string Plural), IStoreHook>? hooks = null)
    {
        foreach (var definition in definitions)
        {
            var hook = hooks?.GetValueOrDefault((definition.Group, definition.Plural));
            _stores[(definition.Group, definition.Version, definition.Plural)] = new GenericStore(definition, storage, cache, time, hook);
        }
    }

    public IEnumerable<ResourceDefinition> Definitions => _stores.Values.Select(s => s.Definition);

    public GenericStore? Find(string group, string version, string plural) => _stores.GetValueOrDefault((group, version, plural));

    public GenericStore Get(string group, string plural) =>
        _stores.Values.First(s => s.Definition.Group == group && s.Definition.Plural == plural);

    /// <summary>Groups in the order discovery lists them: core first, then as registered.</summary>
    public IEnumerable<(string Group, IReadOnlyList<string> Versions)> Groups() =>
        Definitions.Where(d => d.Group.Length > 0)
            .GroupBy(d => d.Group)
            .Select(g => (g.Key, (IReadOnlyList<string>)g.Select(d => d.Version).Distinct().ToList()));
}
