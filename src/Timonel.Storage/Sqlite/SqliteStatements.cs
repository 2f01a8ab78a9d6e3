namespace Timonel.Storage.Sqlite;

/// <summary>
/// The schema and every statement, in one place. The layout follows K3s' kine: <c>kv</c> is a log with one row per
/// revision (the row id is the revision), and a key's current version is its newest row, found through the
/// <c>(name, id)</c> index; <c>meta</c> holds the compaction state. Files written before 2026-11-25 also had a
/// <c>latest</c> table pointing each live key at its newest row: it cost every write a second page at a random place
/// in a name-ordered B-tree, so it is dropped (docs/benchmarks.md, fifth session).
/// </summary>
internal static class SqliteStatements
{
    // auto_vacuum must be chosen before the first table exists; INCREMENTAL lets compaction hand pages back to the
    // file system in small steps instead of one long VACUUM.
    public const string ConfigureNewFile = "PRAGMA auto_vacuum = INCREMENTAL;";

    // WAL: readers never block the writer. synchronous=NORMAL: a commit writes the WAL without an fsync of its own;
    // WalSyncer fsyncs the WAL before any write in it is acknowledged (the guarantee of FULL, one fsync per group).
    // journal_size_limit: a WAL file that grew past 32 MiB (one large transaction) is cut back to that size when it
    // is next written from its start, instead of keeping its peak size; SqliteCheckpointer restarts it at 16 MiB.
    // wal_autocheckpoint=0: SqliteCheckpointer checkpoints from its own connection instead of inside commits.
    public const string ConfigureWriter = """
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = NORMAL;
        PRAGMA journal_size_limit = 33554432;
        PRAGMA wal_autocheckpoint = 0;
        """;

    // The file's format in SQLite's user_version: 0 had the 'latest' table, 1 finds a key's newest row through the
    // (name, id) index. A build refuses a file written in a newer format instead of misreading it; builds before
    // format 1 did not check, which is why format 1 cannot be opened by them safely.
    public const long FileFormat = 1;

    public const string ReadFileFormat = "PRAGMA user_version";

    public static readonly string WriteFileFormat = FormattableString.Invariant($"PRAGMA user_version = {FileFormat}");

    public const string CreateSchema = """
        CREATE TABLE IF NOT EXISTS kv (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            created INTEGER NOT NULL,
            deleted INTEGER NOT NULL,
            create_revision INTEGER NOT NULL,
            prev_revision INTEGER NOT NULL,
            value BLOB NOT NULL
        );
        CREATE INDEX IF NOT EXISTS kv_name_id ON kv (name, id);
        DROP TABLE IF EXISTS latest;
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        """;

    public const string MaxRevision = "SELECT COALESCE(MAX(id), 0) FROM kv";

    public const string ReadMeta = "SELECT COALESCE((SELECT value FROM meta WHERE key = $key), 0)";

    public const string WriteMeta = "INSERT INTO meta (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value";

    // MAX(id) for one name is a single seek in the (name, id) index; a tombstone as the newest row means absent.
    public const string GetLatest = """
        SELECT kv.name, kv.value, kv.create_revision, kv.id FROM kv
        WHERE kv.id = (SELECT MAX(id) FROM kv WHERE name = $name) AND kv.deleted = 0
        """;

    // Each name in the range once, in ascending order, by jumping from one name to the next in the (name, id) index
    // (a skip scan), so history does not make lists slower: with 300 revisions for each of 1,000 keys, walking every
    // row with a MAX(id) check per row took 1 s, this takes 10 ms. The recursive step queues rows first in, first out
    // and the outer query scans them in that order, which is what keeps the result in name order without a sort over
    // every row of the range before LIMIT.
    private const string NamesInRange = """
        WITH RECURSIVE names(name) AS (
            SELECT MIN(name) FROM kv WHERE name >= $start AND name < $end
            UNION ALL
            SELECT (SELECT MIN(name) FROM kv WHERE name > names.name AND name < $end) FROM names WHERE names.name IS NOT NULL)
        """;

    // Each name's newest row, unless that is a tombstone.
    private const string NewestLiveRow = """
        FROM names, kv WHERE names.name IS NOT NULL AND kv.deleted = 0
        AND kv.id = (SELECT MAX(newer.id) FROM kv AS newer WHERE newer.name = names.name)
        """;

    public const string ListLatest = $"{NamesInRange} SELECT kv.name, kv.value, kv.create_revision, kv.id {NewestLiveRow} LIMIT $limit";

    public const string CountLatest = $"{NamesInRange} SELECT COUNT(*) {NewestLiveRow}";

    // The version of each key as of $revision is its newest row at or below it: one seek per name in the (name, id)
    // index, as for the latest, so superseded revisions cost nothing (a GROUP BY over every row of the range made
    // a read at a revision, such as a paged list under writes, take time in proportion to the history).
    private const string NewestLiveRowAtRevision = """
        FROM names, kv WHERE names.name IS NOT NULL AND kv.deleted = 0
        AND kv.id = (SELECT MAX(newer.id) FROM kv AS newer WHERE newer.name = names.name AND newer.id <= $revision)
        """;

    public const string ListAtRevision = $"{NamesInRange} SELECT kv.name, kv.value, kv.create_revision, kv.id {NewestLiveRowAtRevision} LIMIT $limit";

    public const string CountAtRevision = $"{NamesInRange} SELECT COUNT(*) {NewestLiveRowAtRevision}";

    public const string History = """
        SELECT c.id, c.name, c.deleted, c.create_revision, c.value, p.id, p.create_revision, p.value
        FROM kv AS c LEFT JOIN kv AS p ON p.id = c.prev_revision
        WHERE c.id > $after AND c.id <= $until AND c.name >= $start AND c.name < $end
        ORDER BY c.id LIMIT $limit
        """;

    public const string Insert = """
        INSERT INTO kv (id, name, created, deleted, create_revision, prev_revision, value)
        VALUES ($id, $name, $created, $deleted, $create_revision, $prev_revision, $value)
        """;

    // A compaction step over revisions [$lo, $hi), all below the compaction revision: rows those revisions
    // superseded are no longer the answer to any read at or after the compaction revision, and deletions
    // (tombstones) there no longer need to be replayed. Rows are visited once, as the ranges never overlap.
    public const string CompactRange = """
        DELETE FROM kv WHERE id IN (SELECT prev_revision FROM kv WHERE id >= $lo AND id < $hi AND prev_revision > 0);
        DELETE FROM kv WHERE id >= $lo AND id < $hi AND deleted = 1;
        """;

    public const string FreePages = "PRAGMA freelist_count";

    public const string IncrementalVacuum = "PRAGMA incremental_vacuum({0})";

    // Copies what it can from the WAL without waiting for, or holding off, the writer or readers.
    public const string CheckpointPassive = "PRAGMA wal_checkpoint(PASSIVE)";

    // Run by the writer. Returns (busy, log frames, checkpointed frames); busy=1 when a reader kept it from
    // finishing, which is fine: a later one catches up. The writer sets no busy timeout, so these never wait.
    // RESTART makes the next commit write the WAL from its start; TRUNCATE also cuts the file to nothing.
    public const string CheckpointRestart = "PRAGMA wal_checkpoint(RESTART)";

    public const string CheckpointTruncate = "PRAGMA wal_checkpoint(TRUNCATE)";

    public const string CompactRevisionKey = "compact_revision";

    public const string CompactDoneKey = "compact_done";
}
