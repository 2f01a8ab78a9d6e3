using Timonel.Client.Components;

namespace Timonel.Client.Tests.Components;

/// <summary>A component that records being started and disposed, ready as soon as it starts.</summary>
internal sealed class FakeComponent : IComponent
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name => "fake";

    public Task Ready => _ready.Task;

    public bool Started { get; private set; }

    public bool Disposed { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Started = true;
        _ready.TrySetResult();
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}
