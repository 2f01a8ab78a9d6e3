namespace Timonel.IntegrationTests;

/// <summary>
/// The crash tests' judge: what a restarted server may show for a ConfigMap, given what it acknowledged (value 2 at
/// resourceVersion 10, or a delete) and which request was in flight when it died.
/// </summary>
public sealed class TrackedObjectTests
{
    [Theory]
    [InlineData("updated", "None", 2, 10L, "Kept")]
    [InlineData("updated", "None", null, 0L, "Lost")]
    [InlineData("updated", "None", 1, 5L, "Lost")]
    [InlineData("updated", "None", 2, 8L, "Regressed")]
    [InlineData("updated", "None", 2, 12L, "Corrupted")]
    [InlineData("updated", "None", 3, 12L, "Corrupted")]
    [InlineData("updated", "Update", 2, 10L, "Kept")]
    [InlineData("updated", "Update", 3, 12L, "InFlightApplied")]
    [InlineData("updated", "Update", 3, 9L, "Corrupted")]
    [InlineData("updated", "Delete", null, 0L, "InFlightApplied")]
    [InlineData("updated", "Delete", 2, 10L, "Kept")]
    [InlineData("deleted", "None", null, 0L, "Kept")]
    [InlineData("deleted", "None", 2, 10L, "Resurrected")]
    [InlineData("unwritten", "Create", null, 0L, "Kept")]
    [InlineData("unwritten", "Create", 1, 4L, "InFlightApplied")]
    public void Check_AfterRestart_JudgesAgainstAcknowledgedState(string history, string inFlight, int? seenValue, long seenVersion, string expected)
    {
        var tracked = new TrackedObject("crash-w0-0");
        if (history != "unwritten")
        {
            tracked.AcknowledgeWrite(2, 10);
        }

        if (history == "deleted")
        {
            tracked.AcknowledgeDelete();
        }

        tracked.Begin(Enum.Parse<CrashOperation>(inFlight));
        var seen = seenValue is { } value ? new ObservedObject(value, seenVersion) : null;

        Assert.Equal(Enum.Parse<CrashVerdict>(expected), tracked.Check(seen));
    }

    [Theory]
    [InlineData("updated", null, "Deleted")]
    [InlineData("unwritten", null, "Abandoned")]
    [InlineData("unwritten", 1, "Present")]
    public void Settle_WhatTheRestartShowed_BecomesTheNewPromise(string history, int? seenValue, string expected)
    {
        var tracked = new TrackedObject("crash-w0-0");
        if (history == "updated")
        {
            tracked.AcknowledgeWrite(2, 10);
        }

        tracked.Settle(seenValue is { } value ? new ObservedObject(value, 11) : null);

        Assert.Equal(Enum.Parse<TrackedState>(expected), tracked.State);
        Assert.Equal(CrashOperation.None, tracked.InFlight);
    }
}
