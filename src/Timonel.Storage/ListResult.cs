namespace Timonel.Storage;

/// <summary>A page of a range read.</summary>
/// <param name="Items">Live keys in key order.</param>
/// <param name="Revision">The store revision the page was read at; pass it back to read the next page consistently.</param>
/// <param name="NextKey">The first key of the next page, or null when this is the last page.</param>
/// <param name="RemainingCount">How many live keys follow this page (0 when none).</param>
public sealed record ListResult(IReadOnlyList<KeyValue> Items, long Revision, string? NextKey, long RemainingCount);
