namespace Timonel.Storage;

/// <summary>Outcome of a guarded write.</summary>
/// <param name="Succeeded">Whether the guard held and the write happened.</param>
/// <param name="Revision">The revision of the write when it succeeded; otherwise the store's current revision.</param>
/// <param name="Current">
/// On success: the written value (for delete, the value that was removed). On failure: the key's current value,
/// or null when it does not exist.
/// </param>
public sealed record WriteResult(bool Succeeded, long Revision, KeyValue? Current);
