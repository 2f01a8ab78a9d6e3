using System.Threading.Channels;

namespace Timonel.Client.Queue;

/// <summary>
/// A de-duplicating queue of keys, after client-go's workqueue: a key queued while already waiting is queued once;
/// a key queued while being processed is processed again afterwards; failures come back after a delay.
/// </summary>
public sealed class WorkQueue : IDisposable
{
    private readonly Channel<string> _channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Lock _lock = new();
    private readonly HashSet<string> _waiting = new(StringComparer.Ordinal);
    private readonly HashSet<string> _processing = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirtyWhileProcessing = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _disposed = new();

    public void Add(string key)
    {
        lock (_lock)
        {
            if (_processing.Contains(key))
            {
                _dirtyWhileProcessing.Add(key);
                return;
            }

            if (!_waiting.Add(key))
            {
                return;
            }
        }

        _channel.Writer.TryWrite(key);
    }

    /// <summary>Queues <paramref name="key"/> again after <paramref name="delay"/> (a failed or unfinished sync).</summary>
    public void AddAfter(string key, TimeSpan delay) =>
        _ = Task.Delay(delay, _disposed.Token).ContinueWith(_ => Add(key), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);

    /// <summary>The next key to process; call <see cref="Done"/> after.</summary>
    public async Task<string> TakeAsync(CancellationToken cancellationToken)
    {
        var key = await _channel.Reader.ReadAsync(cancellationToken);
        lock (_lock)
        {
            _waiting.Remove(key);
            _processing.Add(key);
        }

        return key;
    }

    public void Done(string key)
    {
        bool again;
        lock (_lock)
        {
            _processing.Remove(key);
            again = _dirtyWhileProcessing.Remove(key);
        }

        if (again)
        {
            Add(key);
        }
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
        _channel.Writer.TryComplete();
    }
}
