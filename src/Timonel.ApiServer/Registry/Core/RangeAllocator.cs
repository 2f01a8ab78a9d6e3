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

    /// <summary>
    /// Reserves some free value among <paramref name="count"/> candidates, preferring those from
    /// <paramref name="staticBand"/> on: the lower band is kept for values clients ask for by number (a Service's
    /// chosen clusterIP or nodePort, upstream's KEP-3070 and KEP-3668 split) and used only when the upper band looks
    /// full. Null when the range looks full.
    /// </summary>
    public async Task<string?> ReserveAnyAsync(long count, long staticBand, Func<long, string> candidate, string owner, CancellationToken cancellationToken)
    {
        var band = Math.Clamp(staticBand, 0, count);
        return await ReserveInAsync(band, count - band, candidate, owner, cancellationToken)
            ?? await ReserveInAsync(0, band, candidate, owner, cancellationToken);
    }

    /// <summary>upstream's band for a range of <paramref name="size"/>: at least <paramref name="least"/>, 1/<paramref name="divisor"/> of it, at most <paramref name="most"/>.</summary>
    public static long StaticBand(long size, long least, long divisor, long most) => Math.Min(Math.Max(least, size / divisor), most);

    private async Task<string?> ReserveInAsync(long first, long count, Func<long, string> candidate, string owner, CancellationToken cancellationToken)
    {
        if (count <= 0)
        {
            return null;
        }

        var start = Random.Shared.NextInt64(count);
        for (long probe = 0; probe < Math.Min(count, MaxProbes); probe++)
        {
            var value = candidate(first + ((start + probe) % count));
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
