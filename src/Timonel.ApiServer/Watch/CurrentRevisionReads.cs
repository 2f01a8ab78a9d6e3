namespace Timonel.ApiServer.Watch;

/// <summary>
/// Reads the store's current revision for consistent reads, sharing one read among callers that arrive while one
/// is under way: they get the next read, which starts after they arrived, so each still sees every write
/// acknowledged before its request. On etcd a thousand GETs a second then cost a few quorum reads, not a thousand.
/// </summary>
/// <param name="readCurrentRevision">The store's read, e.g. <c>IStorageBackend.CurrentRevisionAsync</c>.</param>
public sealed class CurrentRevisionReads(Func<CancellationToken, Task<long>> readCurrentRevision)
{
    private readonly Lock _lock = new();
    private List<TaskCompletionSource<long>> _waiting = [];
    private bool _reading;

    public async Task<long> ReadAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource<long>? next = null;
        lock (_lock)
        {
            if (_reading)
            {
                next = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiting.Add(next);
            }
            else
            {
                _reading = true;
            }
        }

        if (next is not null)
        {
            return await next.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return await readCurrentRevision(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ServeWaiting();
        }
    }

    // Whoever finishes a read starts one for those who queued behind it, or marks reading done.
    private void ServeWaiting()
    {
        List<TaskCompletionSource<long>> batch;
        lock (_lock)
        {
            if (_waiting.Count == 0)
            {
                _reading = false;
                return;
            }

            batch = _waiting;
            _waiting = [];
        }

        _ = ReadForAsync(batch);
    }

    private async Task ReadForAsync(List<TaskCompletionSource<long>> batch)
    {
        try
        {
            // Not any one caller's token: the read serves them all; each stops waiting on its own cancellation.
            var revision = await readCurrentRevision(CancellationToken.None).ConfigureAwait(false);
            foreach (var caller in batch)
            {
                caller.TrySetResult(revision);
            }
        }
        catch (Exception ex)
        {
            foreach (var caller in batch)
            {
                caller.TrySetException(ex);
            }
        }
        finally
        {
            ServeWaiting();
        }
    }
}
