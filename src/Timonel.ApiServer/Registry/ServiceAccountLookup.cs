using Timonel.ApiServer.Auth;

namespace Timonel.ApiServer.Registry;

/// <summary>Token authentication's view of ServiceAccounts: the watch cache first, the store on a miss.</summary>
internal sealed class ServiceAccountLookup(GenericStore serviceAccounts) : IServiceAccountLookup
{
    public async Task<string?> FindUidAsync(string ns, string name, CancellationToken cancellationToken) =>
        (await serviceAccounts.FindRecentAsync(ns, name, cancellationToken).ConfigureAwait(false))?.Uid();
}
