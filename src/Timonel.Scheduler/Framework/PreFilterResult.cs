namespace Timonel.Scheduler.Framework;

/// <summary>The nodes a PreFilter plugin lets through (upstream PreFilterResult); null NodeNames means all nodes.</summary>
public sealed record PreFilterResult(IReadOnlySet<string>? NodeNames)
{
    public bool AllNodes => NodeNames is null;

    /// <summary>The intersection of two results (upstream's Merge).</summary>
    public PreFilterResult Merge(PreFilterResult? other)
    {
        if (other is null || other.AllNodes)
        {
            return this;
        }

        if (AllNodes)
        {
            return other;
        }

        return new(NodeNames!.Where(other.NodeNames!.Contains).ToHashSet(StringComparer.Ordinal));
    }
}
