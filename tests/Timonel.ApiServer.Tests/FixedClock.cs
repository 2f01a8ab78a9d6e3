namespace Timonel.ApiServer.Tests;

/// <summary>A clock that always reads <paramref name="now"/>, so timestamps the server writes are exact.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
