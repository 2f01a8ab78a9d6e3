namespace Timonel.Storage.Tests;

/// <summary>Reads a watch one event at a time, failing instead of hanging when an expected event never comes.</summary>
internal sealed class WatchReader : IAsyncDisposable
{
    private static readonly TimeSpan _patience = TimeSpan.FromSeconds(15);
    private readonly CancellationTokenSource _cancel = new();
    private readonly IAsyncEnumerator<WatchEvent> _events;
    private Task<bool>? _pending;

    public WatchReader(IStorageBackend store, string prefix, long afterRevision)
    {
        _events = store.WatchAsync(prefix, afterRevision, _cancel.Token).GetAsyncEnumerator(_cancel.Token);
    }

    public async Task<WatchEvent> NextAsync()
    {
        Assert.True(await WaitAsync(_patience), $"no watch event within {_patience}");
        var pending = _pending!;
        _pending = null;
        Assert.True(await pending, "the watch ended");
        return _events.Current;
    }

    public async Task<List<WatchEvent>> TakeAsync(int count)
    {
        var events = new List<WatchEvent>(count);
        for (var i = 0; i < count; i++)
        {
            events.Add(await NextAsync());
        }

        return events;
    }

    /// <summary>True when no event (nor the end) arrives within <paramref name="wait"/>.</summary>
    public async Task<bool> IsQuietAsync(TimeSpan wait) => !await WaitAsync(wait);

    public async ValueTask DisposeAsync()
    {
        await _cancel.CancelAsync();
        if (_pending is not null)
        {
            try
            {
                await _pending;
            }
            catch (OperationCanceledException)
            {
                // The pending read observed the cancellation.
            }
        }

        await _events.DisposeAsync();
        _cancel.Dispose();
    }

    private async Task<bool> WaitAsync(TimeSpan wait)
    {
        _pending ??= _events.MoveNextAsync().AsTask();
        return await Task.WhenAny(_pending, Task.Delay(wait)) == _pending;
    }
}
