namespace Timonel.Storage;

/// <summary>Paging and consistency options of a range read.</summary>
/// <param name="Limit">At most this many items; 0 = no limit.</param>
/// <param name="StartKey">Resume from this key (inclusive), as given by a previous <see cref="ListResult.NextKey"/>.</param>
/// <param name="Revision">Read as of this revision; 0 = latest.</param>
public sealed record ListOptions(long Limit = 0, string? StartKey = null, long Revision = 0)
{
    public static ListOptions Latest { get; } = new();
}
