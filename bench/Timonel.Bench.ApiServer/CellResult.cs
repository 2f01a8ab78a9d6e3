namespace Timonel.Bench.ApiServer;

/// <summary>One operation at one client count on one backend: completed calls, failures and latency.</summary>
internal sealed record CellResult(string Backend, string Operation, int Clients, long Operations, long Errors, TimeSpan Elapsed, double P50Ms, double P99Ms, double MaxMs, CpuUse Cpu, string? FirstError)
{
    public ConnectionMode Connections { get; init; } = ConnectionMode.Own;

    public double PerSecond => Operations / Elapsed.TotalSeconds;
}
