namespace Timonel.Bench.Storage;

/// <summary>What <see cref="ChurnScenario"/> measured. Sizes are the database plus its WAL, in bytes.</summary>
internal sealed record ChurnResult(
    long Updates,
    int Objects,
    double UpdatesPerSecond,
    double P50Ms,
    double P99Ms,
    double MaxMs,
    double MaxDuringCompactionMs,
    int Compactions,
    double LongestCompactionStepMs,
    long PeakBytes,
    long BeforeFinalCompactionBytes,
    long FinalBytes,
    double FinalCompactionSeconds);
