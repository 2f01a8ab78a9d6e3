namespace Timonel.Storage.Sqlite;

/// <summary>The bounds of a prefix as SQL parameter values.</summary>
internal static class SqliteKeyRange
{
    // SQLite orders every BLOB after every TEXT value, so a BLOB upper bound admits all keys while still letting
    // the planner use the index range (a NULL bound would need a separate statement).
    private static readonly byte[] _unbounded = [0xFF];

    public static object End(string prefix) => (object?)KeyPrefix.End(prefix) ?? _unbounded;

    /// <summary>The first key to read: the prefix, or a later continue key inside it.</summary>
    public static string Start(string prefix, string? startKey) =>
        startKey is not null && string.CompareOrdinal(startKey, prefix) > 0 ? startKey : prefix;
}
