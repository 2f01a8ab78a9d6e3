namespace Timonel.Storage.Sqlite;

/// <summary>A compaction, vacuum or checkpoint step; it runs alone between write batches and owns its transaction.</summary>
internal sealed class MaintenanceJob(Func<StatementCache, long> work) : WriterJob
{
    public Func<StatementCache, long> Work { get; } = work;

    public TaskCompletionSource<long> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override void Fail(Exception exception) => Completion.TrySetException(exception);
}
