namespace Timonel.Client.LeaderElection;

/// <summary>What a <see cref="LeaderElector"/> tells its owner (client-go's LeaderCallbacks).</summary>
public sealed record LeaderCallbacks
{
    /// <summary>Runs while this candidate leads; the token is cancelled when leadership ends. The elector awaits it before it releases the lease.</summary>
    public required Func<CancellationToken, Task> OnStartedLeading { get; init; }

    /// <summary>Called once when <see cref="LeaderElector.RunAsync"/> ends, whether or not this candidate led.</summary>
    public Action OnStoppedLeading { get; init; } = () => { };

    /// <summary>Called when the observed holder changes (this candidate included); the identity is empty for a released lease.</summary>
    public Action<string> OnNewLeader { get; init; } = _ => { };
}
