namespace Timonel.Storage.Sqlite;

/// <summary>Work queued for the single writer: a guarded key write, or a maintenance step run between batches.</summary>
internal abstract class WriterJob
{
    public abstract void Fail(Exception exception);
}
