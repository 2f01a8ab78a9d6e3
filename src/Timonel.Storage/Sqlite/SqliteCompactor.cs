using System.Diagnostics;
using System.Globalization;

namespace Timonel.Storage.Sqlite;

/// <summary>
/// Drops superseded history in steps that each run as one short writer job, so writes queue behind at most one
/// step (about <see cref="SqliteStorageOptions.CompactionStepTarget"/>) rather than behind a whole compaction —
/// K3s users report multi-second stalls from kine's compaction. Afterwards the freed pages are returned to the
/// file system (incremental vacuum, also stepped) and the WAL is truncated, so the file tracks the live data.
/// The step size adapts to the measured step time, as rows vary from bytes to megabytes.
/// </summary>
internal sealed class SqliteCompactor(SqliteWriter writer, SqliteCheckpointer checkpointer, SqliteStorageOptions options, long compacted, long done) : IDisposable
{
    private const long MinStep = 16;
    // Moving a page costs more than dropping a row, and varies more: vacuum steps get a lower ceiling.
    private const long MaxRevisionsPerStep = 20_000;
    private const long MaxPagesPerStep = 256;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _compacted = compacted;
    private long _done = done;
    private long _revisionsPerStep = 500;
    private long _pagesPerStep = 128;

    /// <summary>The oldest revision that can still be read or watched from (0: never compacted).</summary>
    public long Compacted => Interlocked.Read(ref _compacted);

    /// <summary>The longest single compaction or vacuum step so far; the benchmark reports it.</summary>
    public TimeSpan LongestStep { get; private set; }

    public async Task CompactAsync(long revision, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var target = Math.Min(revision, writer.Revision);
            if (target > Compacted)
            {
                // Recorded first: from this commit on, reads below the target fail, so no reader needs the rows
                // the steps below remove, even if the process dies half-way (the next open resumes).
                await writer.RunAsync(statements =>
                {
                    using var transaction = statements.Connection.BeginTransaction();
                    statements.Get(SqliteStatements.WriteMeta, transaction, ("$key", SqliteStatements.CompactRevisionKey), ("$value", target)).ExecuteNonQuery();
                    transaction.Commit();
                    return target;
                });
                Interlocked.Exchange(ref _compacted, target);
            }

            await RemoveHistoryAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>Finishes a compaction that an earlier process recorded but did not complete.</summary>
    public Task ResumeAsync(CancellationToken cancellationToken) => CompactAsync(0, cancellationToken);

    private async Task RemoveHistoryAsync(CancellationToken cancellationToken)
    {
        var target = Compacted;
        var removedAny = false;
        while (_done < target)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var low = Math.Max(_done, 1);
            var high = Math.Min(low + _revisionsPerStep, target);
            var elapsed = await TimedStepAsync(statements =>
            {
                using var transaction = statements.Connection.BeginTransaction();
                statements.Get(SqliteStatements.CompactRange, transaction, ("$lo", low), ("$hi", high)).ExecuteNonQuery();
                statements.Get(SqliteStatements.WriteMeta, transaction, ("$key", SqliteStatements.CompactDoneKey), ("$value", high)).ExecuteNonQuery();
                transaction.Commit();
                return 0;
            });
            _done = high;
            removedAny = true;
            _revisionsPerStep = Adapt(_revisionsPerStep, MaxRevisionsPerStep, elapsed);
        }

        if (removedAny)
        {
            await VacuumAsync(cancellationToken);
        }
    }

    private async Task VacuumAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var pages = _pagesPerStep;
            var freeBefore = 0L;
            var freeAfter = 0L;
            var elapsed = await TimedStepAsync(statements =>
            {
                freeBefore = statements.Scalar(SqliteStatements.FreePages, null);
                if (freeBefore > 0)
                {
                    statements.Get(string.Format(CultureInfo.InvariantCulture, SqliteStatements.IncrementalVacuum, pages), null).ExecuteNonQuery();
                    freeAfter = statements.Scalar(SqliteStatements.FreePages, null);
                }

                return 0;
            });
            if (freeBefore == 0 || freeAfter >= freeBefore)
            {
                break;
            }

            _pagesPerStep = Adapt(_pagesPerStep, MaxPagesPerStep, elapsed);
        }

        // The vacuumed pages sit in the WAL until a checkpoint copies them back and shrinks the file.
        await checkpointer.TruncateAsync(cancellationToken);
    }

    // Steps commit without an fsync of their own (the writer runs with synchronous=NORMAL and only write groups wait
    // for WalSyncer): the next write group's fsync of the WAL makes them durable along with it, and a step lost to a
    // power cut only brings back rows that the compaction, whose progress is recorded in the same transaction, removes
    // again. An fsync per step, not the work, would otherwise bound how fast compaction can go.
    private async Task<TimeSpan> TimedStepAsync(Func<StatementCache, long> step)
    {
        var elapsed = TimeSpan.Zero;
        await writer.RunAsync(statements =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                return step(statements);
            }
            finally
            {
                elapsed = Stopwatch.GetElapsedTime(started);
            }
        });
        if (elapsed > LongestStep)
        {
            LongestStep = elapsed;
        }

        return elapsed;
    }

    // Halve when a step overran the target, double when it took under a third of it: step times vary with the
    // rows and pages a range happens to touch, so the size stays where most steps land well inside the target.
    private long Adapt(long size, long max, TimeSpan elapsed)
    {
        if (elapsed > options.CompactionStepTarget)
        {
            return Math.Max(MinStep, size / 2);
        }

        return elapsed < options.CompactionStepTarget / 3 ? Math.Min(max, size * 2) : size;
    }
}
