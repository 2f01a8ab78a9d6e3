namespace Timonel.Bench.ApiServer;

/// <summary>One soak run's figures.</summary>
internal sealed record SoakResult(
    string Backend,
    TimeSpan Duration,
    double WritesPerSecond,
    IReadOnlyList<(string Verb, int Count, double P50, double P99, double Max)> Verbs,
    long Errors,
    string? FirstError,
    double WatchP50,
    double WatchP99,
    int Watches,
    int CompleteWatches,
    string? FirstWatchProblem,
    double RssAfterWarmUp,
    double RssAtEnd,
    double RssMax,
    IReadOnlyList<SoakSample> Samples,
    CpuUse Cpu);
