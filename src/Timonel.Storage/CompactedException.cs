namespace Timonel.Storage;

/// <summary>The requested revision was compacted away (the API server answers 410 Gone).</summary>
public sealed class CompactedException : Exception
{
    public CompactedException(long requestedRevision, long compactedRevision)
        : base($"required revision {requestedRevision} has been compacted (oldest available: {compactedRevision})")
    {
        RequestedRevision = requestedRevision;
        CompactedRevision = compactedRevision;
    }

    public long RequestedRevision { get; }

    public long CompactedRevision { get; }
}
