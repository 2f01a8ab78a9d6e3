using Etcdserverpb;

namespace Timonel.Storage.Etcd;

/// <summary>
/// Whether the etcd server answers a watch progress request only after the events before it. Versions before
/// 3.4.31 and 3.5.13 may send the mark ahead of events already queued for the watch (etcd-io/etcd#15220), which
/// would let a reader trust a revision whose events have not arrived; kube-apiserver checks the same versions before
/// it serves consistent reads from its cache. Debian 12's etcd-server is 3.4.23. Asked once, on first use.
/// </summary>
internal sealed class EtcdProgressSupport(Maintenance.MaintenanceClient maintenance)
{
    private Task<bool>? _reliable;

    public async Task<bool> IsReliableAsync(CancellationToken cancellationToken)
    {
        var check = Volatile.Read(ref _reliable);
        if (check is null)
        {
            // A failed check (etcd unreachable) is asked again next time.
            var started = CheckAsync(cancellationToken);
            check = Interlocked.CompareExchange(ref _reliable, started, null) ?? started;
        }

        try
        {
            return await check;
        }
        catch
        {
            _ = Interlocked.CompareExchange(ref _reliable, null, check);
            throw;
        }
    }

    /// <summary>True for 3.4.31+, 3.5.13+ and 3.6 or newer.</summary>
    public static bool IsFixed(string version)
    {
        var parts = version.Split('.', '-', '+');
        if (parts.Length < 3 || !int.TryParse(parts[0], out var major) || !int.TryParse(parts[1], out var minor) || !int.TryParse(parts[2], out var patch))
        {
            return false;
        }

        return (major, minor) switch
        {
            (3, 4) => patch >= 31,
            (3, 5) => patch >= 13,
            (3, < 4) => false,
            _ => major >= 3,
        };
    }

    private async Task<bool> CheckAsync(CancellationToken cancellationToken)
    {
        var status = await maintenance.StatusAsync(new StatusRequest(), cancellationToken: cancellationToken);
        return IsFixed(status.Version);
    }
}
