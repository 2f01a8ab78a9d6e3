using Timonel.HostileTests.Classes;
using Timonel.HostileTests.Targets;

namespace Timonel.HostileTests.Running;

/// <summary>
/// Runs a class's cases in batches over a few parallel connections. After every batch the server must still answer
/// /readyz, and the store must hold exactly what it held before the batch: every case is rejected by design or a dry
/// run, so any created, changed or deleted object is a request that wrote when it should not have.
/// </summary>
internal sealed class SuiteRunner(CaseSender sender, StoreSnapshot snapshot, HttpClient http)
{
    /// <summary>
    /// Past this the remaining cases are recorded as not sent rather than sent: a server that hangs on every request
    /// must fail the suite, not keep the machine busy for hours.
    /// </summary>
    private static readonly TimeSpan _timeBudget = TimeSpan.FromMinutes(5);

    private readonly System.Diagnostics.Stopwatch _sinceStart = System.Diagnostics.Stopwatch.StartNew();

    /// <summary>The seed every class's random source derives from: the same cases on every run.</summary>
    public const int Seed = 1313;

    private const int BatchSize = 500;
    private const int Connections = 4;

    public async Task<ClassReport> RunAsync(HostileClass hostileClass, int index, SuiteTarget target)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var report = new ClassReport(hostileClass.Name);
        var cases = hostileClass.Cases(target, new Random(Seed + index)).ToList();
        if (cases.FirstOrDefault(c => c.AcceptedWrite) is { } writes)
        {
            // The store check counts any write as a failure, and an accepted create would also make the class's
            // later creates of the same name answer 409: a case upstream accepts must be a dry run.
            throw new InvalidOperationException($"{hostileClass.Name}: \"{writes.Name}\" expects {writes.Expected} for a write without dryRun=All");
        }

        var before = await snapshot.TakeAsync(target.Namespace);
        for (var start = 0; start < cases.Count; start += BatchSize)
        {
            var batch = cases.Skip(start).Take(BatchSize);
            await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = Connections }, async (testCase, _) =>
            {
                var answer = _sinceStart.Elapsed < _timeBudget ? await sender.SendAsync(testCase, target.Namespace) : Answer.None("not sent: the suite's time budget is spent");
                report.Record(testCase, answer, AnswerCheck.Mismatch(testCase.Expected, answer));
            });
            var ready = await ReadyAsync();
            var after = await snapshot.TakeAsync(target.Namespace);
            report.RecordBatch(start / BatchSize, StoreSnapshot.Changes(before, after), ready);
            before = after;
        }

        report.Elapsed = clock.Elapsed;
        return report;
    }

    private async Task<bool> ReadyAsync()
    {
        try
        {
            using var response = await http.GetAsync("/readyz");
            return response.IsSuccessStatusCode && await response.Content.ReadAsStringAsync() == "ok";
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
