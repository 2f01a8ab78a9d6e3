namespace Timonel.Bench.ApiServer;

/// <summary>Prints the soak and restart figures as Markdown, with the issue's targets checked.</summary>
internal static class SoakReport
{
    public static void Print(TextWriter output, IReadOnlyList<SoakResult> soaks, IReadOnlyList<(string Backend, string Start, double ReadyMs, long? ReportedMs)> restarts, BenchOptions options)
    {
        foreach (var soak in soaks)
        {
            PrintSoak(output, soak, options);
        }

        if (restarts.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"Restart: {options.RestartObjects:N0} ConfigMaps of {options.ValueSize} B and {options.RestartRevisions:N0} writes in all, then exec → /readyz of a restart at once and of one after the first compaction.");
            output.WriteLine();
            output.WriteLine("| backend | start | exec → /readyz ms | server's own \"ready in\" ms | target ≤ 1,000 ms met |");
            output.WriteLine("|---|---|---:|---:|---|");
            foreach (var (backend, start, ready, reported) in restarts)
            {
                output.WriteLine($"| {backend} | {start} | {ready:F0} | {reported?.ToString() ?? "?"} | {(ready <= 1000 ? "yes" : "**no**")} |");
            }
        }
    }

    private static void PrintSoak(TextWriter output, SoakResult soak, BenchOptions options)
    {
        var growth = (soak.RssAtEnd - soak.RssAfterWarmUp) / soak.RssAfterWarmUp;
        output.WriteLine();
        output.WriteLine($"Soak, {soak.Backend}: {soak.Duration.TotalMinutes:F1} min, {options.SoakClients} clients paced to {soak.WritesPerSecond:F0} writes/s (create, get, update, list, update, delete), {soak.Watches} namespace watches, {options.SoakBaseObjects:N0} untouched objects; latencies after {options.SoakWarmUp.TotalSeconds:F0} s of warm-up, lateness of a paced call included.");
        output.WriteLine();
        output.WriteLine("| verb | calls | p50 ms | p99 ms | max ms |");
        output.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var (verb, count, p50, p99, max) in soak.Verbs)
        {
            output.WriteLine($"| {verb} | {count:N0} | {p50:F1} | {p99:F1} | {max:F0} |");
        }

        output.WriteLine();
        output.WriteLine("| measure | figure | target | met |");
        output.WriteLine("|---|---|---|---|");
        Row(output, "RSS after warm-up → end (max)", $"{soak.RssAfterWarmUp:F0} → {soak.RssAtEnd:F0} MiB ({growth:+0%;-0%}), max {soak.RssMax:F0}", "growth ≤ 10 %", growth <= 0.10);
        // RSS saws up and down with gen2 collections; the mean of the first and last thirds after warm-up shows a trend
        // that a single end sample, taken anywhere on the saw, does not.
        var measured = soak.Samples.Where(s => s.At >= options.SoakWarmUp).Select(s => s.RssMiB).ToList();
        var third = Math.Max(1, measured.Count / 3);
        var (early, late) = (measured.Take(third).Average(), measured.TakeLast(third).Average());
        Row(output, "mean RSS, first → last third after warm-up", $"{early:F0} → {late:F0} MiB ({(late - early) / early:+0%;-0%})", "growth ≤ 10 %", late <= early * 1.10);
        var worstP99 = soak.Verbs.Max(v => v.P99);
        Row(output, "worst verb p99", $"{worstP99:F1} ms", "≤ 100 ms", worstP99 <= 100);
        Row(output, "write → watch event p50 / p99", $"{soak.WatchP50:F1} / {soak.WatchP99:F1} ms", "", true);
        Row(output, "watches complete and in order", $"{soak.CompleteWatches} / {soak.Watches}{(soak.FirstWatchProblem is { } problem ? $" (first problem: {problem})" : "")}", "all", soak.CompleteWatches == soak.Watches);
        Row(output, "errors", $"{soak.Errors}{(soak.FirstError is { } error ? $" (first: {error})" : "")}", "0", soak.Errors == 0);
        output.WriteLine($"| CPU cores: server / etcd / bench | {soak.Cpu} | | |");
        output.WriteLine();
        output.WriteLine("RSS and SQLite files (database + WAL) every 30 s: " + string.Join(", ", soak.Samples.Where((_, i) => i % 6 == 5 || i == soak.Samples.Count - 1).Select(s => $"{s.At.TotalSeconds:F0} s {s.RssMiB:F0} MiB / {s.DatabaseMiB:F1} MiB")));
    }

    private static void Row(TextWriter output, string measure, string figure, string target, bool met) =>
        output.WriteLine($"| {measure} | {figure} | {target} | {(target.Length == 0 ? "" : met ? "yes" : "**no**")} |");
}
