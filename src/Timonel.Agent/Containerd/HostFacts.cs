using System.Diagnostics;
using System.Globalization;

namespace Timonel.Agent.Containerd;

/// <summary>What the host allows, read once when the agent writes containerd's config.</summary>
public static class HostFacts
{
    /// <summary>Where Debian's containernetworking-plugins puts the plugins, then the upstream convention.</summary>
    public static readonly IReadOnlyList<string> CniPluginDirs = ["/usr/lib/cni", "/opt/cni/bin"];

    // linux/capability.h
    private const int CapSysResource = 24;

    /// <summary>The first CNI plugins directory that has the bridge plugin, or null.</summary>
    public static string? FindCniPluginsDir() => CniPluginDirs.FirstOrDefault(dir => File.Exists(Path.Combine(dir, "bridge")));

    /// <summary>
    /// Whether containerd must not give containers an oom_score_adj below its own. Lowering it needs
    /// CAP_SYS_RESOURCE; inside a container (Docker drops that capability) runc then fails every sandbox with
    /// "can't get final child's PID from pipe: EOF".
    /// </summary>
    public static bool NeedsRestrictedOomScoreAdj() => !HasEffectiveCapability(CapSysResource) || InUserNamespace();

    /// <summary>Whether the process holds a capability in its effective set (/proc/self/status CapEff).</summary>
    public static bool HasEffectiveCapability(int capability)
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
            return line is not null
                && ulong.TryParse(line["CapEff:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var mask)
                && (mask & (1UL << capability)) != 0;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>A user namespace maps fewer than all 2^32 ids (rootless or a nested container).</summary>
    public static bool InUserNamespace()
    {
        try
        {
            var fields = File.ReadAllText("/proc/self/uid_map").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return !(fields.Length == 3 && fields[0] == "0" && fields[1] == "0" && fields[2] == "4294967295");
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// Whether an overlay filesystem can be mounted with its upper dir under <paramref name="underDir"/> (not so on
    /// an overlay root, or without the module): the overlayfs snapshotter needs it; else containerd must use native.
    /// </summary>
    public static bool OverlayMountWorks(string underDir)
    {
        if (!File.ReadAllText("/proc/filesystems").Contains("\toverlay", StringComparison.Ordinal))
        {
            return false;
        }

        var trial = Path.Combine(underDir, ".overlay-check-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        var (lower, upper, work, merged) = (Path.Combine(trial, "l"), Path.Combine(trial, "u"), Path.Combine(trial, "w"), Path.Combine(trial, "m"));
        try
        {
            foreach (var dir in new[] { lower, upper, work, merged })
            {
                Directory.CreateDirectory(dir);
            }

            if (!Run("mount", "-t", "overlay", "overlay", "-o", $"lowerdir={lower},upperdir={upper},workdir={work}", merged))
            {
                return false;
            }

            Run("umount", merged);
            return true;
        }
        finally
        {
            TryDelete(trial);
        }
    }

    private static bool Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
