namespace Timonel.Agent.Kubelet.PodWorkers;

/// <summary>One pod's worker: its record, its sync loop, and the signal that wakes the loop (signals in between coalesce).</summary>
internal sealed class PodWorker : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public PodWorker(PodRecord record) => Record = record;

    public PodRecord Record { get; }

    public Task? Loop { get; set; }

    public void Signal()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: the next sync sees this change too.
        }
        catch (ObjectDisposedException)
        {
            // The worker ended: its pod is gone.
        }
    }

    /// <summary>Waits for a signal or until <paramref name="delay"/> has passed on <paramref name="time"/>.</summary>
    public async Task WaitAsync(TimeSpan delay, TimeProvider time, CancellationToken cancellationToken)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var signalled = _signal.WaitAsync(waiting.Token);
        var timer = delay == Timeout.InfiniteTimeSpan ? Task.Delay(Timeout.Infinite, waiting.Token) : Task.Delay(delay, time, waiting.Token);
        var first = await Task.WhenAny(signalled, timer);
        await waiting.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
        if (first != signalled)
        {
            // The signal may have arrived as the timer fired: keep it for the next wait.
            try
            {
                await signalled;
                Signal();
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    public void Dispose() => _signal.Dispose();
}
