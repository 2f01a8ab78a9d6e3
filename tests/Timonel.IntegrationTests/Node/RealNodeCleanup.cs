using System.Diagnostics;

namespace Timonel.IntegrationTests.Node;

/// <summary>What a stopped agent leaves on the machine: the containers' shims and their mounts.</summary>
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

    /// <summary>Deletes the Service proxy's nftables table, as <c>timonel agent --cleanup</c> does.</summary>
    public static async Task RemoveServiceRulesAsync()
    {
        if (Timonel.Agent.Proxy.NftCommand.Available())
        {
            await Timonel.Agent.Proxy.ProxyCleanup.RunAsync(new Timonel.Agent.Proxy.NftCommand(), CancellationToken.None);
        }
    }
}
