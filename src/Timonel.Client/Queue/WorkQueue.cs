using System.Threading.Channels;

namespace Timonel.Client.Queue;

/// <summary>
/// A de-duplicating FIFO of keys to process (client-go's workqueue.Typed): a key added while it waits is queued
/// once; a key added while a worker processes it is queued again when that worker calls <see cref="Done"/>, so no
/// two workers ever hold the same key and no change is missed.
/// </summary>
public class WorkQueue<T> : IDisposable
    where T : notnull
{
    private readonly Lock _lock = new();
    private readonly Queue<T> _queue = new();

    // Keys that need processing: those queued, and those added again while being processed.
    private readonly HashSet<T> _dirty = [];
    private readonly HashSet<T> _processing = [];

    // One token per key in _queue, plus one once shut down: a getter that takes the shutdown token puts it back
    // for the next one. A getter cancelled while it waits takes no token, so no key is lost.
    private readonly Channel<bool> _available = Channel.CreateUnbounded<bool>();
    private TaskCompletionSource? _drained;
    private bool _shuttingDown;

    /// <summary>How many keys wait to be handed out (not counting those being processed or delayed).</summary>
    public int Len
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    public bool ShuttingDown
    {
        get
        {
            lock (_lock)
            {
                return _shuttingDown;
            }
        }
    }

    /// <summary>Marks <paramref name="item"/> as needing processing; ignored once the queue is shutting down.</summary>
    public void Add(T item)
    {
        lock (_lock)
        {
            if (_shuttingDown || !_dirty.Add(item) || _processing.Contains(item))
            {
                return;
            }

            Push(item);
        }
    }

    /// <summary>
    /// The next key to process, which the caller owns until it calls <see cref="Done"/>; or ShutDown true once the
    /// queue is shut down and empty, when the worker should stop.
    /// </summary>
    public async Task<(T Item, bool ShutDown)> GetAsync(CancellationToken cancellationToken = default)
    {
        await _available.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            if (_queue.TryDequeue(out var item))
            {
                _processing.Add(item);
                _dirty.Remove(item);
                return (item, false);
            }

            _available.Writer.TryWrite(true);
            return (default!, true);
        }
    }

    /// <summary>Ends the processing of <paramref name="item"/>; queues it again if it was added meanwhile.</summary>
    public void Done(T item)
    {
        lock (_lock)
        {
            _processing.Remove(item);
            if (_dirty.Contains(item))
            {
                Push(item);
            }
            else if (_processing.Count == 0)
            {
                _drained?.TrySetResult();
            }
        }
    }

    /// <summary>Ignores new keys from now on; workers get the keys still queued, then ShutDown.</summary>
    public void ShutDown()
    {
        lock (_lock)
        {
            // As client-go, a plain shutdown also releases anyone draining.
            _drained?.TrySetResult();
            Stop();
        }

        OnShutDown();
    }

    /// <summary>As <see cref="ShutDown"/>, and completes once no key is being processed any more.</summary>
    public Task ShutDownWithDrainAsync()
    {
        Task drained;
        lock (_lock)
        {
            // A drain that ended (nothing was left, or a plain ShutDown stopped it) does not answer a new one.
            if (_drained is null || _drained.Task.IsCompleted)
            {
                _drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            drained = _drained.Task;
            if (_processing.Count == 0)
            {
                _drained.TrySetResult();
            }

            Stop();
        }

        OnShutDown();
        return drained;
    }

    /// <summary>Shuts the queue down.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            ShutDown();
        }
    }

    /// <summary>Called once the queue shuts down, for what a derived queue holds back (delayed keys).</summary>
    protected virtual void OnShutDown()
    {
    }

    private void Stop()
    {
        if (!_shuttingDown)
        {
            _shuttingDown = true;
            _available.Writer.TryWrite(true);
        }
    }

    private void Push(T item)
    {
        _queue.Enqueue(item);
        _available.Writer.TryWrite(true);
    }
}
