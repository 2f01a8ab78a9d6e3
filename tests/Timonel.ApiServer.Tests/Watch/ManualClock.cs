namespace Timonel.ApiServer.Tests.Watch;

/// <summary>A clock that moves only when a test moves it, so ages are exact and tests never sleep.</summary>
internal sealed class ManualClock : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _ticks;

    public void Advance(TimeSpan by) => _ticks += by.Ticks;
}
