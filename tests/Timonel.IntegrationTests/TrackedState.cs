namespace Timonel.IntegrationTests;

/// <summary>What the server last promised about one ConfigMap of the crash workload.</summary>
internal enum TrackedState
{
    /// <summary>Its create is in flight: no answer yet.</summary>
    Unwritten,

    /// <summary>A create or update was acknowledged (or seen after a restart).</summary>
    Present,

    /// <summary>Its delete was acknowledged (or seen to have happened): it must never come back, as names are not reused.</summary>
    Deleted,

    /// <summary>Its only create was lost with the server: it must stay absent.</summary>
    Abandoned,
}
