namespace Timonel.Bench.ApiServer;

/// <summary>Nearest-rank percentiles over a sorted sample.</summary>
internal static class Percentiles
{
    public static double Of(IReadOnlyList<double> sorted, double fraction) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Count) - 1, 0, sorted.Count - 1)];
}
