using System.Diagnostics;

namespace Timonel.Agent.Teardown;

/// <summary>
/// Removes what a node agent leaves on the machine once it has stopped (K3s' k3s-killall.sh): containers outlive the
/// agent in their shims, as upstream's do, and with them their mounts, their network namespaces (holding pod IPs on
/// the node's bridge) and the bridge itself. Each step reports what it removed.
/// </summary>
public static class NodeTeardown
{
    private const string NetnsDir = "/var/run/netns";

    /// <summary>Kills the containerd shims of the containerd whose run directory is given, with the containers they run.</summary>
    /// <returns>How many shims were killed.</returns>
    public static int KillContainers(string runDir)
    {
        var killed = 0;
        foreach (var proc in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), out var pid) || CommandLine(pid) is not { } commandLine)
            {
                continue;
            }

            if (commandLine.Contains("containerd-shim", StringComparison.Ordinal) && commandLine.Contains(runDir, StringComparison.Ordinal))
            {
                try
                {
                    using var shim = Process.GetProcessById(pid);
                    shim.Kill(entireProcessTree: true);
                    killed++;
                }
                catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
                {
                    // Gone already.
                }
            }
        }

        return killed;
    }

    /// <summary>
    /// Deletes the pod network namespaces containerd made (/var/run/netns/cni-*) that no process is in any more, and
    /// with them the veth ends on the node's bridge. Left behind they keep answering for their pod IPs, which a fresh
    /// IP allocation (a new data dir) hands to new pods. A namespace with a process in it belongs to a running pod
    /// (of this runtime or another one) and stays.
    /// </summary>
    /// <returns>How many namespaces were deleted.</returns>
    public static int DeleteEmptyPodNetworks()
    {
        if (!Directory.Exists(NetnsDir))
        {
            return 0;
        }

        var deleted = 0;
        foreach (var netns in Directory.EnumerateFiles(NetnsDir, "cni-*").Select(path => Path.GetFileName(path)))
        {
            if (Run("ip", "netns", "pids", netns).Trim().Length == 0)
            {
                Run("ip", "netns", "delete", netns);
                deleted++;
            }
        }

        return deleted;
    }

    /// <summary>Unmounts everything mounted under the directory, deepest first (lazily: a mount still in use goes when its last user does).</summary>
    /// <returns>How many mounts were removed.</returns>
    public static int Unmount(string directory)
    {
        var prefix = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)) + "/";
        var mounts = File.ReadAllLines("/proc/self/mountinfo")
            .Select(line => line.Split(' ')[4])
            .Where(point => point.StartsWith(prefix, StringComparison.Ordinal) || point + "/" == prefix)
            .OrderByDescending(point => point.Length)
            .ToList();
        foreach (var point in mounts)
        {
            Run("umount", "-l", point);
        }

        return mounts.Count;
    }

    /// <summary>Deletes the node's pod bridge (the CNI bridge plugin makes it again for the next pod).</summary>
    /// <returns>Whether there was one.</returns>
    public static bool DeleteBridge(string name)
    {
        if (!Directory.Exists(Path.Combine("/sys/class/net", name)))
        {
            return false;
        }

        Run("ip", "link", "delete", name);
        return true;
    }

    /// <summary>Deletes the service proxy's rules, nftables and iptables-nft alike (what <c>timonel agent --cleanup</c> does), where their tools run.</summary>
    /// <returns>Whether there was anything to delete.</returns>
    public static async Task<bool> RemoveServiceRulesAsync() =>
        (await Proxy.ProxyCleanup.RunAllAsync(CancellationToken.None)).Count > 0;

    private static string? CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
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
        var output = process.StandardOutput.ReadToEndAsync();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return output.Result;
    }
}
