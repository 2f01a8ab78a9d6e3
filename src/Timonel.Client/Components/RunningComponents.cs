namespace Timonel.Client.Components;

/// <summary>
/// The components a process runs, stopped in the reverse order of their start (the last started may depend on the
/// earlier ones, never the other way round).
/// </summary>
public sealed class RunningComponents : IAsyncDisposable
{
    private readonly List<IComponent> _started = [];

    public IReadOnlyList<IComponent> Started => _started;

    /// <summary>Starts <paramref name="component"/>; it is disposed with this set even when starting fails midway.</summary>
    public async Task StartAsync(IComponent component, CancellationToken cancellationToken)
    {
        _started.Add(component);
        await component.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Completes when every started component is ready.</summary>
    public Task WhenReadyAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_started.Select(c => c.Ready)).WaitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            await _started[i].DisposeAsync().ConfigureAwait(false);
        }

        _started.Clear();
    }
}
