namespace Timonel.Agent.Kubelet.Containers;

/// <summary>
/// The /proc and /sys paths a container does not see (masked) or cannot write (read-only) by default
/// (securitycontext's defaultMaskedPaths and defaultReadonlyPaths); a privileged container or one with
/// procMount Unmasked gets none.
/// </summary>
internal static class ProcPaths
{
    public const string UnmaskedProcMount = "Unmasked";

    public static IReadOnlyList<string> DefaultMasked { get; } =
    [
        "/proc/asound",
        "/proc/acpi",
        "/proc/kcore",
        "/proc/keys",
        "/proc/latency_stats",
        "/proc/timer_list",
        "/proc/timer_stats",
        "/proc/sched_debug",
        "/proc/scsi",
        "/sys/firmware",
        "/sys/devices/virtual/powercap",
    ];

    public static IReadOnlyList<string> DefaultReadonly { get; } =
    [
        "/proc/bus",
        "/proc/fs",
        "/proc/irq",
        "/proc/sys",
        "/proc/sysrq-trigger",
    ];

    public static bool Unmasked(EffectiveSecurityContext context) =>
        context.Privileged || context.ProcMount == UnmaskedProcMount;
}
