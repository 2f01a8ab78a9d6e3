namespace Timonel.Storage;

/// <summary>Paging and consistency options of a range read.</summary>
/// <param name="Limit">At most this many items; 0 = no limit.</param>
/// <param name="StartKey">Resume from this key (inclusive), as given by a previous <see cref="ListResult.NextKey"/>.</param>
/// <param name="Revision">Read as of this revision; 0 = latest.</param>
/// <param name="CountRemaining">
/// Fill <see cref="ListResult.RemainingCount"/>; when false a backend may leave it 0. A reader walking every page (the watch cache loading) needs no
/// count, and on SQLite counting the rest of the range on each page made loading quadratic in the number of pages.
/// </param>
public sealed record ListOptions(long Limit = 0, string? StartKey = null, long Revision = 0, bool CountRemaining = true)
{
    public static ListOptions Latest { get; } = new();
}
