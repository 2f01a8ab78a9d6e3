using System.Text.Json.Nodes;

namespace Timonel.ApiServer.Registry;

/// <summary>
/// Work a kind needs around its writes beyond a strategy's pure functions: allocations that must be reserved in
/// the datastore (service IPs, node ports) and released when the object goes. Hooks run after validation.
/// </summary>
public interface IStoreHook
{
    /// <summary>Before a create is written; may reserve resources and fill them into the object.</summary>
    Task BeforeCreateAsync(JsonObject created, bool dryRun, CancellationToken cancellationToken);

    /// <summary>After a create that reserved resources failed to be written: give them back.</summary>
    Task CreateFailedAsync(JsonObject created, CancellationToken cancellationToken);

    /// <summary>Before an update is written; may reserve new resources (released again by <see cref="UpdateFailedAsync"/>).</summary>
    Task BeforeUpdateAsync(JsonObject updated, JsonObject old, bool dryRun, CancellationToken cancellationToken);

    /// <summary>The update was not written: release what <see cref="BeforeUpdateAsync"/> reserved for it.</summary>
    Task UpdateFailedAsync(JsonObject updated, JsonObject old, CancellationToken cancellationToken);

    /// <summary>After an update was written: release what the old object held and the new one does not.</summary>
    Task AfterUpdateAsync(JsonObject updated, JsonObject old, CancellationToken cancellationToken);

    /// <summary>After the object was removed from storage.</summary>
    Task AfterDeleteAsync(JsonObject deleted, CancellationToken cancellationToken);
}
