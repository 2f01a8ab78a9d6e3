using System.Globalization;

namespace Timonel.Agent.Kubelet;

/// <summary>Durations written as Go's time.Duration.String() writes them ("10s", "1m20s", "5m0s", "1.234s"), as upstream's messages show them.</summary>
internal static class GoDuration
{
    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }

        if (duration < TimeSpan.FromSeconds(1))
        {
            return duration.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms";
        }

        var seconds = (duration.Ticks % TimeSpan.TicksPerMinute / (double)TimeSpan.TicksPerSecond).ToString("0.#########", CultureInfo.InvariantCulture) + "s";
        var hours = (long)duration.TotalHours;
        if (hours > 0)
        {
            return $"{hours}h{duration.Minutes}m{seconds}";
        }

        return duration.Minutes > 0 ? $"{duration.Minutes}m{seconds}" : seconds;
    }
}
