using System.Diagnostics;

namespace Timonel.IntegrationTests.Node;

/// <summary>What a stopped agent leaves on the machine: the containers' shims, their mounts and their network namespaces.</summary>
public static class RealNodeCleanup
{
    /// <summary>Kills the containerd shims (and so their containers) of the containerd whose run directory is given.</summary>
    public static void KillContainers(string runDir)
    {
        foreach (var proc in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), out var pid))
            {
                continue;
            }

            string cmdline;
            try
            {
                cmdline = File.ReadAllText(Path.Combine(proc, "cmdline")).Replace('\0', ' ');
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            if (cmdline.Contains("containerd-shim", StringComparison.Ordinal) && cmdline.Contains(runDir, StringComparison.Ordinal))
            {
                try
                {
                    Process.GetProcessById(pid).Kill(entireProcessTree: true);
                }
                catch (ArgumentException)
                {
                    // Gone already.
                }
            }
        }
    }

    /// <summary>
    /// Deletes the pod network namespaces containerd made (/var/run/netns/cni-*) that no process is in any more, and
    /// with them the veth ends on the node's bridge. Left behind, they keep their pod IPs on the bridge, and the next
    /// run's fresh IP allocation hands the same addresses to new pods: traffic to a new pod then reaches the old
    /// namespace.
    /// </summary>
    public static void DeleteEmptyPodNetworks()
    {
        const string NetnsDir = "/var/run/netns";
        if (!Directory.Exists(NetnsDir))
        {
            return;
        }

        foreach (var netns in Directory.EnumerateFiles(NetnsDir, "cni-*").Select(Path.GetFileName))
        {
            if (Run("ip", "netns", "pids", netns!).Trim().Length == 0)
            {
                Run("ip", "netns", "delete", netns!);
            }
        }
    }

    private static string Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output;
    }

    /// <summary>Unmounts everything mounted under the directory, deepest first.</summary>
    public static void Unmount(string directory)
    {
        var mounts = File.ReadAllLines("/proc/self/mountinfo")
            .Select(line => line.Split(' ')[4])
            .Where(point => point.StartsWith(directory, StringComparison.Ordinal))
            .OrderByDescending(point => point.Length);
        foreach (var point in mounts)
        {
            using var umount = Process.Start("umount", ["-l", point]);
            umount.WaitForExit();
        }
    }
}
