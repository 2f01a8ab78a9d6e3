using Microsoft.Data.Sqlite;

namespace Timonel.Storage.Sqlite;

/// <summary>
/// The only code that writes the database. One loop takes every queued write, applies them in one transaction and
/// commits once; <see cref="WalSyncer"/> fsyncs the WAL and only then are the events published and the callers'
/// tasks completed. Under load, writes that arrive during a commit form the next group, and groups committed during
/// an fsync share the next one, so throughput grows with the number of concurrent writers instead of being bounded
/// by fsync latency. K3s' kine commits and fsyncs each write alone. The loop has a thread of its own, as SQLite
/// calls block it.
/// </summary>
internal sealed class SqliteWriter : IAsyncDisposable
{
    private readonly StatementCache _statements;
    private readonly WatchFanout _fanout;
    private readonly int _maxBatch;
    private readonly DrainQueue<WriterJob> _queue = new();
    private readonly WalSyncer _syncer;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _revision;
    private long _durableRevision;

    public SqliteWriter(StatementCache statements, WatchFanout fanout, long revision, int maxBatch)
    {
        _statements = statements;
        _fanout = fanout;
        _revision = revision;
        _durableRevision = revision;
        _syncer = new WalSyncer(statements.Connection.DataSource + "-wal");
        _maxBatch = Math.Max(1, maxBatch);
        new Thread(Run) { IsBackground = true, Name = "SQLite writer" }.Start();
    }

    /// <summary>Called on the writer after each commit, cheaply (it must not block the loop).</summary>
    public Action? Committed { get; set; }

    /// <summary>The revision of the latest write that is on disk (every acknowledged write is at or below it).</summary>
    public long Revision => Interlocked.Read(ref _durableRevision);

    public Task<WriteResult> WriteAsync(WriteKind kind, string key, byte[] value, long expectedRevision, CancellationToken cancellationToken)
    {
        var job = new WriteJob(kind, key, value, expectedRevision, cancellationToken);
        Enqueue(job);
        return job.Completion.Task;
    }

    /// <summary>Runs <paramref name="work"/> on the writer connection between write batches.</summary>
    public Task<long> RunAsync(Func<StatementCache, long> work)
    {
        var job = new MaintenanceJob(work);
        Enqueue(job);
        return job.Completion.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Complete();
        await _stopped.Task;
        await _syncer.DisposeAsync();
        _statements.Dispose();
    }

    private void Enqueue(WriterJob job)
    {
        ObjectDisposedException.ThrowIf(!_queue.TryAdd(job), this);
    }

    private void Run()
    {
        try
        {
            RunBatches();
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    private void RunBatches()
    {
        var batch = new List<WriteJob>(_maxBatch);
        var spare = new List<WriterJob>();
        while (_queue.TakeAll(spare) is { } jobs)
        {
            foreach (var job in jobs)
            {
                if (job is WriteJob write)
                {
                    if (write.CancellationToken.IsCancellationRequested)
                    {
                        write.Completion.TrySetCanceled(write.CancellationToken);
                        continue;
                    }

                    batch.Add(write);
                    if (batch.Count == _maxBatch)
                    {
                        CommitBatch(batch);
                    }

                    continue;
                }

                // Maintenance runs alone: commit what was queued before it first, so order is kept.
                CommitBatch(batch);
                RunMaintenance((MaintenanceJob)job);
            }

            CommitBatch(batch);
            spare = jobs;
        }
    }

    private void RunMaintenance(MaintenanceJob job)
    {
        try
        {
            job.Completion.TrySetResult(job.Work(_statements));
            Committed?.Invoke();
        }
        catch (Exception exception)
        {
            job.Fail(exception);
        }
    }

    private void CommitBatch(List<WriteJob> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        var results = new WriteResult[batch.Count];
        var events = new List<WatchEvent>(batch.Count);
        var revision = _revision;
        try
        {
            using var transaction = _statements.Connection.BeginTransaction();
            for (var i = 0; i < batch.Count; i++)
            {
                results[i] = Apply(batch[i], transaction, ref revision, events);
            }

            transaction.Commit();
        }
        catch (Exception exception)
        {
            // The transaction rolled back: nothing in this group happened, so every caller learns it failed.
            foreach (var job in batch)
            {
                job.Fail(exception);
            }

            batch.Clear();
            return;
        }

        _revision = revision; // only the writer thread reads it; others read the durable revision
        Committed?.Invoke();
        var jobs = batch.ToArray();
        batch.Clear();
        _syncer.AfterNextSync(failure => Acknowledge(jobs, results, events, revision, failure));
    }

    // Runs on the WAL sync thread once the group is on disk: the watch cache and the callers learn of it only now.
    private void Acknowledge(WriteJob[] jobs, WriteResult[] results, List<WatchEvent> events, long revision, Exception? syncFailure)
    {
        Interlocked.Exchange(ref _durableRevision, revision);
        _fanout.Publish(events);
        for (var i = 0; i < jobs.Length; i++)
        {
            if (syncFailure is null)
            {
                jobs[i].Completion.TrySetResult(results[i]);
            }
            else
            {
                // The rows are committed and readers see them, but they may not survive a power cut: say so.
                jobs[i].Fail(new IOException("the write was committed but the write-ahead log could not be synced to disk", syncFailure));
            }
        }
    }

    private WriteResult Apply(WriteJob job, SqliteTransaction transaction, ref long revision, List<WatchEvent> events)
    {
        var current = SqliteRows.ReadSingle(_statements.Get(SqliteStatements.GetLatest, transaction, ("$name", job.Key)));
        var guardHolds = job.Kind switch
        {
            WriteKind.Create => current is null,
            WriteKind.Update => current is not null && current.ModRevision == job.ExpectedRevision,
            _ => current is not null && (job.ExpectedRevision == 0 || current.ModRevision == job.ExpectedRevision),
        };
        if (!guardHolds)
        {
            return new WriteResult(false, revision, current);
        }

        var next = ++revision;
        if (job.Kind == WriteKind.Delete)
        {
            Insert(transaction, next, job.Key, created: false, deleted: true, current!.CreateRevision, current.ModRevision, []);
            events.Add(new WatchEvent(WatchEventType.Delete, new KeyValue(job.Key, [], current.CreateRevision, next), current));
            return new WriteResult(true, next, current);
        }

        var written = new KeyValue(job.Key, job.Value, current?.CreateRevision ?? next, next);
        Insert(transaction, next, job.Key, created: current is null, deleted: false, written.CreateRevision, current?.ModRevision ?? 0, job.Value);
        events.Add(new WatchEvent(WatchEventType.Put, written, current));
        return new WriteResult(true, next, written);
    }

    private void Insert(SqliteTransaction transaction, long id, string name, bool created, bool deleted, long createRevision, long previousRevision, byte[] value) =>
        _statements.Get(
            SqliteStatements.Insert,
            transaction,
            ("$id", id),
            ("$name", name),
            ("$created", created ? 1 : 0),
            ("$deleted", deleted ? 1 : 0),
            ("$create_revision", createRevision),
            ("$prev_revision", previousRevision),
            ("$value", value)).ExecuteNonQuery();
}
