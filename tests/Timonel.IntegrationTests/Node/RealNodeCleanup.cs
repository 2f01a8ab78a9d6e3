using System.Diagnostics;

namespace Timonel.IntegrationTests.Node;

/// <summary>What a stopped agent leaves on the machine: the containers' shims and their mounts.</summary>
public static class RealNodeCleanup
{
    /// <summary>
    /// Containers outlive their agent, as upstream's do (K3s has k3s-killall.sh for this): stops what a stopped agent
    /// with its data under <paramref name="dataDir"/> left, so the next run starts clean, then stops the test's image
    /// registry and deletes the folder.
    /// </summary>
    public static async Task AfterAgentAsync(string dataDir, TestImageRegistry? registry)
    {
        KillContainers(RealNodePrerequisites.RunDir);
        Unmount(RealNodePrerequisites.RunDir);
        Unmount(dataDir);
        if (registry is not null)
        {
            await registry.DisposeAsync();
        }

        try
        {
            Directory.Delete(dataDir, recursive: true);
        }
        catch (IOException)
        {
            // Not there, or left behind: a mount the runtime still holds.
        }
    }

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
}
