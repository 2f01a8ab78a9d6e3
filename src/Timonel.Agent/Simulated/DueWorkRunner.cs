using Microsoft.Extensions.Logging;

namespace Timonel.Agent.Simulated;

/// <summary>
/// Runs a <see cref="DueQueue{T}"/>'s items when they fall due, with one timer for all of them and at most a fixed
/// number running at once (each is an API request). A failing item is logged; rescheduling is the item's own business.
/// </summary>
internal sealed class DueWorkRunner<T> : IDisposable
{
    private static readonly TimeSpan _tick = TimeSpan.FromMilliseconds(25);
    private readonly DueQueue<T> _queue = new();
    private readonly Func<T, CancellationToken, Task> _run;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _slots;
    private readonly int _concurrency;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly ITimer _timer;

    public DueWorkRunner(Func<T, CancellationToken, Task> run, int concurrency, TimeProvider time, ILogger logger)
    {
        _run = run;
        _time = time;
        _logger = logger;
        _concurrency = concurrency;
        _slots = new SemaphoreSlim(concurrency, concurrency);
        _timer = time.CreateTimer(_ => Wake(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public int Pending => _queue.Count;

    public void Schedule(T item, DateTimeOffset due)
    {
        if (_queue.Schedule(item, due))
        {
            Wake();
        }
    }

    public void ScheduleNow(T item) => Schedule(item, _time.GetUtcNow());

    /// <summary>Runs items as they fall due until cancelled, then waits for those still running.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                while (_queue.TryTakeDue(_time.GetUtcNow(), out var item))
                {
                    await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                    _ = RunOneAsync(item, cancellationToken);
                }

                if (_queue.NextDue() is { } next)
                {
                    // At least one tick between wake-ups: 5,000 nodes spread over 10 s fall due every 2 ms, and
                    // waking for each cost more CPU than the renewals; a few ms late is nothing to a 40 s Lease.
                    var delay = next - _time.GetUtcNow();
                    _timer.Change(delay > _tick ? delay : _tick, Timeout.InfiniteTimeSpan);
                }

                await _wake.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        // Every slot free again means every started item has ended.
        for (var i = 0; i < _concurrency; i++)
        {
            await _slots.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Runs every item due now, one after the other, until none is (tests on a fake clock drive the agent so).</summary>
    public async Task RunDueAsync(CancellationToken cancellationToken = default)
    {
        while (_queue.TryTakeDue(_time.GetUtcNow(), out var item))
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            await RunOneAsync(item, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        _slots.Dispose();
        _wake.Dispose();
    }

    private void Wake()
    {
        // One pending wake-up is enough: the loop looks at the whole queue each time it wakes.
        try
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
        catch (ObjectDisposedException)
        {
            // The timer fired while the agent stopped.
        }
    }

    private async Task RunOneAsync(T item, CancellationToken cancellationToken)
    {
        try
        {
            await _run(item, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "simulated node work {Item} failed", item);
        }
        finally
        {
            _slots.Release();
        }
    }
}
