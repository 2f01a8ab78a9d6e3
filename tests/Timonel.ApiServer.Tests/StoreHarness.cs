using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Timonel.ApiServer.Registry;
using Timonel.ApiServer.Watch;
using Timonel.Storage;
using Timonel.Storage.Memory;

namespace Timonel.ApiServer.Tests;

/// <summary>
/// The built-in stores over in-memory storage and a running watch cache, with the "default" namespace in place:
/// GenericStore end to end without HTTP.
/// </summary>
internal sealed class StoreHarness : IAsyncDisposable
{
    private StoreHarness(IStorageBackend storage, WatchCache cache, StoreRegistry registry)
    {
        Storage = storage;
        Cache = cache;
        Registry = registry;
    }

    public IStorageBackend Storage { get; }

    public WatchCache Cache { get; }

    public StoreRegistry Registry { get; }

    /// <param name="storage">The store under the harness; null: a fresh in-memory one.</param>
    public static async Task<StoreHarness> StartAsync(IStorageBackend? storage = null)
    {
        storage ??= new MemoryStorageBackend();
        var cache = new WatchCache(storage, NullLogger<WatchCache>.Instance);
        await cache.StartAsync(CancellationToken.None);
        var registry = new StoreRegistry(ResourceCatalog.BuiltIn(new BuiltInStrategies()), storage, cache, TimeProvider.System);
        var harness = new StoreHarness(storage, cache, registry);
        await harness.Store("", "namespaces").CreateAsync(null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "default" } }, dryRun: false, CancellationToken.None);
        return harness;
    }

    public GenericStore Store(string group, string plural) => Registry.Get(group, plural);

    public async ValueTask DisposeAsync()
    {
        await Cache.DisposeAsync();
        await Storage.DisposeAsync();
    }
}
