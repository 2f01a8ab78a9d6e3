using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry.Apiextensions;
using Timonel.ApiServer.Watch;

namespace Timonel.ApiServer.Registry.CustomResources;

/// <summary>
/// Serves the custom resources of every CustomResourceDefinition (the apiextensions-apiserver's role): follows CRDs
/// through the watch cache, registers a store per served version, and when a CRD is deleted removes its custom
/// resources before letting the CRD go (the cleanup finalizer).
/// </summary>
public sealed class CustomResourceRegistrar : IAsyncDisposable
{
    private const string CrdPrefix = "/registry/apiextensions.k8s.io/customresourcedefinitions/";
    private readonly StoreRegistry _registry;
    private readonly WatchCache _cache;
    private readonly ILogger _logger;
    private readonly Dictionary<string, List<(string Group, string Version, string Plural)>> _served = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    public CustomResourceRegistrar(StoreRegistry registry, WatchCache cache, ILogger<CustomResourceRegistrar> logger)
    {
        _registry = registry;
        _cache = cache;
        _logger = logger;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var (items, revision) = _cache.List(CrdPrefix);
        foreach (var kv in items)
        {
            await ApplyAsync(StoredObject.Decode(kv), cancellationToken);
        }

        var watcher = _cache.Watch(CrdPrefix, revision);
        _loop = Task.Run(() => FollowAsync(watcher, _stopping.Token), CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _stopping.Dispose();
    }

    private async Task FollowAsync(Watcher watcher, CancellationToken cancellationToken)
    {
        using (watcher)
        {
            try
            {
                await foreach (var change in watcher.Events.ReadAllAsync(cancellationToken))
                {
                    var crd = change.DecodeObject();
                    try
                    {
                        if (change.Type == "DELETED")
                        {
                            Unserve(crd.Name()!);
                        }
                        else
                        {
                            await ApplyAsync(crd, cancellationToken);
                        }
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        _logger.LogWarning(ex, "serving custom resource definition {Name} failed", crd.Name());
                    }

                    await SyncApiServicesAsync(cancellationToken);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    /// <summary>Keeps an APIService for each group version served, as upstream's crdRegistrationController does.</summary>
    private async Task SyncApiServicesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Apiregistration.LocalAPIServices.SyncAsync(_registry, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning(ex, "registering the APIServices of custom resources failed");
        }
    }

    private async Task ApplyAsync(JsonObject crd, CancellationToken cancellationToken)
    {
        var name = crd.Name()!;
        Unserve(name);
        var definitions = Definitions(crd).ToList();
        _served[name] = [.. definitions.Select(d => (d.Group, d.Version, d.Plural))];
        foreach (var definition in definitions)
        {
            _registry.Register(definition);
        }

        if (crd.DeletionTimestamp() is not null)
        {
            await CleanUpAsync(crd, definitions, cancellationToken);
        }
    }

    private void Unserve(string crdName)
    {
        if (_served.Remove(crdName, out var served))
        {
            foreach (var (group, version, plural) in served)
            {
                _registry.Unregister(group, version, plural);
            }
        }
    }

    /// <summary>Deletes every custom resource of a deleted CRD, then drops the cleanup finalizer so the CRD goes.</summary>
    private async Task CleanUpAsync(JsonObject crd, IReadOnlyList<ResourceDefinition> definitions, CancellationToken cancellationToken)
    {
        if (!crd.Finalizers().Contains(CustomResourceDefinitionStrategy.CleanupFinalizer) || definitions.Count == 0)
        {
            return;
        }

        var store = _registry.Find(definitions[0].Group, definitions[0].Version, definitions[0].Plural)!;
        await store.DeleteCollectionAsync(null, ListQuery.All, new DeleteOptions(GracePeriodSeconds: 0), cancellationToken);
        var crds = _registry.Get("apiextensions.k8s.io", "customresourcedefinitions");
        await crds.GuaranteedUpdateAsync(null, crd.Name()!, current =>
        {
            var finalizers = new JsonArray([.. current.Finalizers().Where(f => f != CustomResourceDefinitionStrategy.CleanupFinalizer).Select(f => (JsonNode)f)]);
            current.Metadata()["finalizers"] = finalizers;
            return current;
        }, crds.Definition.Strategy, dryRun: false, cancellationToken);
    }

    private static IEnumerable<ResourceDefinition> Definitions(JsonObject crd)
    {
        var spec = crd.ObjectAt("spec")!;
        var names = spec.ObjectAt("names")!;
        foreach (var version in spec.ArrayAt("versions").Objects().Where(v => v.BoolAt("served") != false))
        {
            var schema = version.ObjectAt("schema", "openAPIV3Schema");
            yield return new ResourceDefinition
            {
                Group = spec.StringAt("group")!,
                Version = version.StringAt("name")!,
                Kind = names.StringAt("kind")!,
                Plural = names.StringAt("plural")!,
                Namespaced = spec.StringAt("scope") != "Cluster",
                ShortNames = names.ArrayAt("shortNames")?.Select(s => s?.GetValue<string>() ?? "").ToList() ?? [],
                Categories = names.ArrayAt("categories")?.Select(s => s?.GetValue<string>() ?? "").ToList() ?? [],
                Strategy = new CustomResourceStrategy(schema is null ? null : new StructuralSchema(schema), version.ObjectAt("subresources", "status") is not null, PrinterColumns.For(version.ArrayAt("additionalPrinterColumns"))),
                HasStatus = version.ObjectAt("subresources", "status") is not null,
                HasScale = false,
                ValidatesFinalizerNames = false,
            };
        }
    }
}
