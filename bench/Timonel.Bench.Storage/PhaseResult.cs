namespace Timonel.Bench.Storage;

/// <summary>What one load phase measured.</summary>
internal sealed record PhaseResult(string Backend, string Operation, int Clients, long Operations, TimeSpan Elapsed, double P50Ms, double P99Ms, double MaxMs)
{
    public double PerSecond => Operations / Elapsed.TotalSeconds;
}
