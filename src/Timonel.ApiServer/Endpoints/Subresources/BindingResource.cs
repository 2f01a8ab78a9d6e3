using System.Text.Json.Nodes;
using Timonel.ApiServer.Auth;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Endpoints.Subresources;

/// <summary>
/// POST namespaces/NS/bindings: a Binding naming its pod in metadata.name, served as pods/NAME/binding is (upstream's
/// LegacyBindingREST hands the object's name to BindingREST).
/// </summary>
public sealed class BindingResource : ICreateOnlyResource
{
    private readonly StoreRegistry _registry;
    private readonly TimeProvider _time;

    public BindingResource(StoreRegistry registry, TimeProvider time)
    {
        _registry = registry;
        _time = time;
    }

    public Task<JsonObject> CreateAsync(JsonObject body, string? ns, UserInfo user, CancellationToken cancellationToken) =>
        CreateAsync(body, ns, user, dryRun: false, cancellationToken);

    public async Task<JsonObject> CreateAsync(JsonObject body, string? ns, UserInfo user, bool dryRun, CancellationToken cancellationToken)
    {
        await PodBinding.BindAsync(_registry.Get("", "pods"), ns!, body.Name() ?? "", body, dryRun, _time, cancellationToken);
        return SuccessStatus.Of(201);
    }
}
