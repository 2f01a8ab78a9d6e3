using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Timonel.Agent.Proxy;

/// <summary>
/// Runs a sync when asked, at most once per minimum interval however often it is asked (requests meanwhile coalesce
/// into the next run), and at least once per maximum interval; a failed sync is retried a second later, so a
/// transaction nft keeps refusing is not hammered (upstream's BoundedFrequencyRunner with minSyncPeriod and syncPeriod).
/// </summary>
public sealed class SyncLoop
{
    private static readonly TimeSpan _retryDelay = TimeSpan.FromSeconds(1);
    private readonly Func<CancellationToken, Task> _sync;
    private readonly TimeSpan _minInterval;
    private readonly TimeSpan _maxInterval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<bool> _requests = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public SyncLoop(Func<CancellationToken, Task> sync, TimeSpan minInterval, TimeSpan maxInterval, TimeProvider time, ILogger logger)
    {
        _sync = sync;
        _minInterval = minInterval;
        _maxInterval = maxInterval;
        _time = time;
        _logger = logger;
    }

    /// <summary>Asks for a sync as soon as the minimum interval allows.</summary>
    public void Request() => _requests.Writer.TryWrite(true);

    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await WaitForRequestAsync(stopping).ConfigureAwait(false);
                var started = _time.GetTimestamp();
                var interval = _minInterval;
                try
                {
                    await _sync(stopping).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _logger.LogError("service proxy sync failed, retrying: {Message}", ex.Message);
                    interval = _retryDelay > _minInterval ? _retryDelay : _minInterval;
                    Request();
                }

                var rest = interval - _time.GetElapsedTime(started);
                if (rest > TimeSpan.Zero)
                {
                    await Task.Delay(rest, _time, stopping).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task WaitForRequestAsync(CancellationToken stopping)
    {
        try
        {
            await _requests.Reader.WaitToReadAsync(stopping).AsTask().WaitAsync(_maxInterval, _time, stopping).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The periodic sync.
        }

        _requests.Reader.TryRead(out _);
    }
}
