namespace Timonel.Storage;

/// <summary>
/// Compacts a backend soon after start and then periodically, keeping the newest <see cref="AutoCompactorOptions.MinRetain"/> revisions,
/// so history (and with it the SQLite file or etcd's database) does not grow without bound. Works with any
/// backend; the server starts one next to its datastore.
/// </summary>
public sealed class AutoCompactor : IAsyncDisposable
{
    private readonly IStorageBackend _backend;
    private readonly AutoCompactorOptions _options;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    public AutoCompactor(IStorageBackend backend, AutoCompactorOptions? options = null, TimeProvider? timeProvider = null)
    {
        _backend = backend;
        _options = options ?? new AutoCompactorOptions();
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Raised when a compaction fails; the loop carries on at the next interval.</summary>
    public event Action<Exception>? Failed;

    public void Start() => _loop = RunAsync(_stopping.Token);

    /// <summary>One compaction now: to the current revision minus the retained window. Returns the revision compacted to, or 0.</summary>
    public async Task<long> CompactOnceAsync(CancellationToken cancellationToken = default)
    {
        var target = await _backend.CurrentRevisionAsync(cancellationToken) - _options.MinRetain;
        if (target <= await _backend.CompactedRevisionAsync(cancellationToken))
        {
            return 0;
        }

        await _backend.CompactAsync(target, cancellationToken);
        return target;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopped mid-compaction; the backend finishes or resumes it.
        }

        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(_options.FirstAfter, _time, cancellationToken);
        await CompactReportingAsync(cancellationToken);
        using var timer = new PeriodicTimer(_options.Interval, _time);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            await CompactReportingAsync(cancellationToken);
        }
    }

    private async Task CompactReportingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await CompactOnceAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Failed?.Invoke(exception);
        }
    }
}
