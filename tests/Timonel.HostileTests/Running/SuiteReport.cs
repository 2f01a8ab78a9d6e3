namespace Timonel.HostileTests.Running;

/// <summary>The whole run: each class's report, the totals, and the wall-clock time, printed as a Markdown table.</summary>
internal sealed class SuiteReport(IReadOnlyList<ClassReport> classes, TimeSpan elapsed)
{
    public IReadOnlyList<ClassReport> Classes { get; } = classes;

    public TimeSpan Elapsed { get; } = elapsed;

    public int Cases => Classes.Sum(c => c.Cases);

    public ClassReport Class(string name) => Classes.Single(c => c.Name == name);

    public IEnumerable<string> Table()
    {
        yield return $"Hostile-request suite, seed {SuiteRunner.Seed}: {Cases} cases in {Elapsed.TotalSeconds:0}s";
        yield return "";
        yield return "| Class | Cases | Passed | 5xx | Dropped | Store changes |";
        yield return "|---|---:|---:|---:|---:|---:|";
        foreach (var c in Classes)
        {
            yield return $"| {c.Name} | {c.Cases} | {c.Passed} | {c.ServerErrors} | {c.Dropped} | {c.StoreChanges} |";
        }

        yield return $"| **total** | {Cases} | {Classes.Sum(c => c.Passed)} | {Classes.Sum(c => c.ServerErrors)} | {Classes.Sum(c => c.Dropped)} | {Classes.Sum(c => c.StoreChanges)} |";
    }
}
