using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Timonel.Agent.Containerd;
using Timonel.Agent.Teardown;

namespace Timonel.Commands;

/// <summary>
/// <c>timonel killall</c>, K3s' k3s-killall.sh: after timonel has stopped, stops what its node agent leaves running on
/// purpose (containers outlive the agent so a restart does not restart them): the agent's containerd, the containers'
/// shims and processes, their mounts, their network namespaces, the service proxy's rules and the pod bridge. Data (images, volumes, the
/// datastore) stays.
/// </summary>
internal static class KillallCommand
{
    public static Command Create()
    {
        var dataDir = new Option<string>("--data-dir", "-d") { Description = "The data folder timonel ran with", DefaultValueFactory = _ => Timonel.ApiServer.Hosting.ApiServerOptions.DefaultDataDir() };
        var command = new Command("killall", "Stop the containers, mounts and pod networking a stopped node agent left on this machine") { dataDir };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!Environment.IsPrivilegedProcess)
            {
                Console.Error.WriteLine("timonel killall must run as root");
                return 1;
            }

            var paths = new ContainerdPaths(Path.Combine(parse.GetValue(dataDir)!, "agent"));
            if (RunningAgent(paths) is { } agent)
            {
                Console.Error.WriteLine($"timonel is running (pid {agent}) with its node agent on this machine: stop it first");
                return 1;
            }

            await ContainerdProcess.StopLeftoverAsync(paths, NullLogger.Instance);
            Console.WriteLine($"killed {NodeTeardown.KillContainers(paths.RunDir)} container shims and their containers");
            Console.WriteLine($"removed {NodeTeardown.Unmount(Path.GetDirectoryName(paths.RunDir)!) + NodeTeardown.Unmount(paths.AgentDir)} mounts");
            Console.WriteLine($"deleted {NodeTeardown.DeleteEmptyPodNetworks()} pod network namespaces");
            if (await NodeTeardown.RemoveServiceRulesAsync())
            {
                Console.WriteLine("removed the service proxy's rules");
            }

            if (NodeTeardown.DeleteBridge(CniConfig.DefaultBridge))
            {
                Console.WriteLine($"deleted bridge {CniConfig.DefaultBridge}");
            }

            if (Directory.Exists(Path.GetDirectoryName(paths.RunDir)))
            {
                Directory.Delete(Path.GetDirectoryName(paths.RunDir)!, recursive: true);
            }

            return 0;
        });
        return command;
    }

    /// <summary>The timonel process whose child the agent's containerd is, while one runs.</summary>
    private static int? RunningAgent(ContainerdPaths paths)
    {
        try
        {
            var containerd = File.ReadAllText(paths.PidFile).Trim();
            // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after its closing parenthesis.
            var stat = File.ReadAllText($"/proc/{containerd}/stat");
            var parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
            var parentCommand = File.ReadAllText($"/proc/{parent}/cmdline");
            return parentCommand.Contains("timonel", StringComparison.Ordinal) ? parent : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }
}
