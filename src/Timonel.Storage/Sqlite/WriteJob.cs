namespace Timonel.Storage.Sqlite;

/// <summary>A create, update or delete waiting for the next group commit.</summary>
internal sealed class WriteJob(WriteKind kind, string key, byte[] value, long expectedRevision, CancellationToken cancellationToken) : WriterJob
{
    public WriteKind Kind { get; } = kind;

    public string Key { get; } = key;

    public byte[] Value { get; } = value;

    public long ExpectedRevision { get; } = expectedRevision;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    // Continuations run on the thread pool: the writer loop must not run callers' code before its next batch.
    public TaskCompletionSource<WriteResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override void Fail(Exception exception) => Completion.TrySetException(exception);
}
