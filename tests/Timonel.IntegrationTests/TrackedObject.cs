namespace Timonel.IntegrationTests;

/// <summary>
/// One ConfigMap of the crash workload. Only its own writer touches it, one request at a time, so its history is a
/// sequence: what the server last acknowledged, and at most one request whose answer died with the server.
/// </summary>
internal sealed class TrackedObject(string name)
{
    public string Name => name;

    public TrackedState State { get; private set; } = TrackedState.Unwritten;

    /// <summary>The acknowledged content: a counter the writer raises by one with each update.</summary>
    public int Value { get; private set; }

    public long ResourceVersion { get; private set; }

    public CrashOperation InFlight { get; private set; }

    public void Begin(CrashOperation operation) => InFlight = operation;

    public void AcknowledgeWrite(int value, long resourceVersion)
    {
        (State, Value, ResourceVersion, InFlight) = (TrackedState.Present, value, resourceVersion, CrashOperation.None);
    }

    public void AcknowledgeDelete()
    {
        (State, InFlight) = (TrackedState.Deleted, CrashOperation.None);
    }

    /// <summary>Judges what a list after the restart returned for this object (null: absent).</summary>
    public CrashVerdict Check(ObservedObject? seen) => State switch
    {
        TrackedState.Present => CheckPresent(seen),
        TrackedState.Unwritten when seen is null => CrashVerdict.Kept,
        TrackedState.Unwritten => seen.Value == 1 ? CrashVerdict.InFlightApplied : CrashVerdict.Corrupted,
        TrackedState.Deleted => seen is null ? CrashVerdict.Kept : CrashVerdict.Resurrected,
        _ => seen is null ? CrashVerdict.Kept : CrashVerdict.Corrupted,
    };

    /// <summary>Takes what the restarted server holds as the new starting point, so damage found once is not counted again.</summary>
    public void Settle(ObservedObject? seen)
    {
        if (seen is not null)
        {
            AcknowledgeWrite(seen.Value, seen.ResourceVersion);
            return;
        }

        State = State is TrackedState.Present or TrackedState.Deleted ? TrackedState.Deleted : TrackedState.Abandoned;
        InFlight = CrashOperation.None;
    }

    private CrashVerdict CheckPresent(ObservedObject? seen)
    {
        if (seen is null)
        {
            return InFlight == CrashOperation.Delete ? CrashVerdict.InFlightApplied : CrashVerdict.Lost;
        }

        if (seen.Value == Value)
        {
            return seen.ResourceVersion == ResourceVersion ? CrashVerdict.Kept
                : seen.ResourceVersion < ResourceVersion ? CrashVerdict.Regressed
                : CrashVerdict.Corrupted;
        }

        if (InFlight == CrashOperation.Update && seen.Value == Value + 1 && seen.ResourceVersion > ResourceVersion)
        {
            return CrashVerdict.InFlightApplied;
        }

        return seen.Value < Value ? CrashVerdict.Lost : CrashVerdict.Corrupted;
    }
}
