namespace Timonel.Client.Components;

/// <summary>
/// One daemon of the binary (the controller manager, the scheduler, a node agent, later DNS and ingress), wired into
/// <c>timonel server</c> and <c>timonel agent</c> the same way: started once, ready when <see cref="Ready"/> completes,
/// stopped by disposing it. Every component is a client of the API server and talks to it over its REST API.
/// </summary>
public interface IComponent : IAsyncDisposable
{
    /// <summary>A short name for logs and start-up phases ("controllers", "scheduler").</summary>
    string Name { get; }

    /// <summary>Completes when the component does its job: its caches have synced and its workers run.</summary>
    Task Ready { get; }

    /// <summary>Starts the component's work in the background and returns; <see cref="Ready"/> says when it is serving.</summary>
    Task StartAsync(CancellationToken cancellationToken);
}
