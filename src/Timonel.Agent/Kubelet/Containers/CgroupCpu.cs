namespace Timonel.Agent.Kubelet.Containers;

/// <summary>Millicores as cgroup cpu settings (cm/helpers_linux.go MilliCPUToShares and MilliCPUToQuota).</summary>
internal static class CgroupCpu
{
    public const long MinShares = 2;
    public const long MaxShares = 262144;
    public const long SharesPerCpu = 1024;

    /// <summary>The CFS period every container gets, 100 ms in microseconds.</summary>
    public const long QuotaPeriod = 100000;

    /// <summary>The smallest quota the kernel takes, 1 ms.</summary>
    public const long MinQuota = 1000;

    /// <summary>cpu.shares for a cpu request: 1024 per cpu, at least 2 (also without a request).</summary>
    public static long Shares(long milliCpu) =>
        milliCpu == 0 ? MinShares : Math.Clamp(milliCpu * SharesPerCpu / 1000, MinShares, MaxShares);

    /// <summary>cpu.cfs_quota_us for a cpu limit over <paramref name="period"/>; 0 (unlimited) without a limit.</summary>
    public static long Quota(long milliCpu, long period = QuotaPeriod) =>
        milliCpu == 0 ? 0 : Math.Max(milliCpu * period / 1000, MinQuota);
}
