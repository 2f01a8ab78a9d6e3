using System.Text;
using Timonel.Storage;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// Reserves values (service IPs, node ports) as keys in the datastore: a create-if-absent is atomic on every
/// backend, so two API servers sharing etcd can never hand out the same value. Random first probe, then linear.
/// </summary>
public sealed class RangeAllocator
{
    private const int MaxProbes = 512;
    private readonly IStorageBackend _storage;
    private readonly string _prefix;

    public RangeAllocator(IStorageBackend storage, string prefix)
    {
        _storage = storage;
        _prefix = prefix;
    }

    /// <summary>Reserves <paramref name="value"/> for <paramref name="owner"/>; false when someone else holds it.</summary>
    public async Task<bool> TryReserveAsync(string value, string owner, CancellationToken cancellationToken)
    {
        var result = await _storage.CreateAsync(_prefix + value, Encoding.UTF8.GetBytes(owner), cancellationToken);
        return result.Succeeded || Encoding.UTF8.GetString(result.Current?.Value ?? []) == owner;
    }

    public async Task<bool> IsFreeAsync(string value, string owner, CancellationToken cancellationToken)
    {
        var current = await _storage.GetAsync(_prefix + value, cancellationToken);
        return current is null || Encoding.UTF8.GetString(current.Value) == owner;
    }

    /// <summary>Reserves some free value among <paramref name="count"/> candidates; null when the range looks full.</summary>
    public async Task<string?> ReserveAnyAsync(long count, Func<long, string> candidate, string owner, CancellationToken cancellationToken)
    {
        var start = Random.Shared.NextInt64(count);
        for (long probe = 0; probe < Math.Min(count, MaxProbes); probe++)
        {
            var value = candidate((start + probe) % count);
            if (await TryReserveAsync(value, owner, cancellationToken))
            {
                return value;
            }
        }

        return null;
    }

    public async Task ReleaseAsync(string value, CancellationToken cancellationToken) =>
        await _storage.DeleteAsync(_prefix + value, 0, cancellationToken);
}
