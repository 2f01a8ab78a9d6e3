using System.Diagnostics;
using Timonel.Testing.Tools;

namespace Timonel.Testing.Containerd;

/// <summary>
/// A containerd of the test's own (Debian's containerd and runc) with its socket, root and state in a temporary
/// directory and its CRI plugin off, driven with <c>ctr</c> in the <c>k8s.io</c> namespace the kubelet uses.
/// Disposing removes every container it ran, stops it and deletes the directory.
/// </summary>
public sealed class ThrowawayContainerd : IAsyncDisposable
{
    public const string ContainerdBinary = "/usr/bin/containerd";
    public const string CtrBinary = "/usr/bin/ctr";
    public const string RuncBinary = "/usr/sbin/runc";
    public const string Namespace = "k8s.io";

    private static readonly TimeSpan _ctrTimeout = TimeSpan.FromMinutes(1);
    // containerd logs only warnings and errors here, so all of it is kept for a failure message.
    private readonly System.Text.StringBuilder _log = new();
    private Process? _process;

    private ThrowawayContainerd(string directory) => Directory = directory;

    /// <summary>Why containerd cannot run here, or null when it can.</summary>
    public static string? UnavailableReason =>
        Environment.UserName != "root" ? "running containers needs root"
        : !File.Exists(ContainerdBinary) ? $"{ContainerdBinary} is not installed (Debian package containerd)"
        : !File.Exists(CtrBinary) ? $"{CtrBinary} is not installed (Debian package containerd)"
        : !File.Exists(RuncBinary) ? $"{RuncBinary} is not installed (Debian package runc)"
        : null;

    /// <summary>The directory holding its config, socket, root and state.</summary>
    public string Directory { get; }

    public string Address => Path.Combine(Directory, "containerd.sock");

    /// <param name="criSandboxImage">
    /// Serve CRI v1 on <see cref="Address"/> with this sandbox image (runc with cgroupfs, CNI config in an empty
    /// directory of its own, so only host-network sandboxes run); null: the CRI plugin is off.
    /// </param>
    public static async Task<ThrowawayContainerd> StartAsync(string? criSandboxImage = null, CancellationToken cancellationToken = default)
    {
        var containerd = new ThrowawayContainerd(Path.Combine(Path.GetTempPath(), $"timonel-containerd-{Guid.NewGuid():N}"));
        try
        {
            await containerd.LaunchAsync(criSandboxImage, cancellationToken);
            return containerd;
        }
        catch
        {
            await containerd.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <c>ctr</c> against this containerd in the <c>k8s.io</c> namespace.</summary>
    public Task<ToolResult> CtrAsync(params string[] arguments) =>
        Tool.RunAsync(CtrBinary, ["--address", Address, "--namespace", Namespace, .. arguments], _ctrTimeout);

    /// <summary>The host PID of a running task's first process, or null when no such task runs.</summary>
    public async Task<int?> TaskPidAsync(string containerId)
    {
        foreach (var task in await TasksAsync())
        {
            if (task.Id == containerId && task.Status == "RUNNING")
            {
                return task.Pid;
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await RemoveContainersAsync();
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
            _process.Dispose();
            _process = null;
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DirectoryNotFoundException)
        {
            // A mount left behind by a crashed shim keeps a file busy; the directory is in /tmp.
        }
    }

    private async Task LaunchAsync(string? criSandboxImage, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var config = Path.Combine(Directory, "config.toml");
        await File.WriteAllTextAsync(config, $"""
            version = 2
            root = "{Directory}/root"
            state = "{Directory}/state"
            {(criSandboxImage is null ? "disabled_plugins = [\"io.containerd.grpc.v1.cri\"]" : CriPluginConfig(criSandboxImage))}
            [grpc]
              address = "{Address}"
            [ttrpc]
              address = "{Address}.ttrpc"
            [debug]
              address = ""
            [metrics]
              address = ""
            """, cancellationToken);
        var start = new ProcessStartInfo(ContainerdBinary)
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--config", config, "--log-level", "warn" })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {ContainerdBinary}");
        _process.ErrorDataReceived += (_, line) =>
        {
            lock (_log)
            {
                _log.AppendLine(line.Data);
            }
        };
        _process.BeginErrorReadLine();
        await WaitServingAsync(cancellationToken);
    }

    // Without restrict_oom_score_adj runc fails every sandbox on hosts that do not let it lower the OOM score
    // ("can't get final child's PID from pipe: EOF").
    private string CriPluginConfig(string sandboxImage) => $"""
        [plugins."io.containerd.grpc.v1.cri"]
          sandbox_image = "{sandboxImage}"
          restrict_oom_score_adj = true
          [plugins."io.containerd.grpc.v1.cri".cni]
            bin_dir = "/usr/lib/cni"
            conf_dir = "{Directory}/cni"
          [plugins."io.containerd.grpc.v1.cri".containerd]
            default_runtime_name = "runc"
            [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
              runtime_type = "io.containerd.runc.v2"
              [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
                SystemdCgroup = false
        """;

    private async Task WaitServingAsync(CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(30) && !_process!.HasExited)
        {
            if (File.Exists(Address) && (await CtrAsync("version")).Succeeded)
            {
                return;
            }

            await Task.Delay(50, cancellationToken);
        }

        string log;
        lock (_log)
        {
            log = _log.ToString();
        }

        throw new InvalidOperationException($"containerd did not serve on {Address}:\n{log}");
    }

    private async Task<List<(string Id, int Pid, string Status)>> TasksAsync()
    {
        var tasks = new List<(string, int, string)>();
        var listing = (await CtrAsync("tasks", "ls")).EnsureSuccess().Output;
        foreach (var line in listing.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (columns.Length >= 3 && int.TryParse(columns[1], out var pid))
            {
                tasks.Add((columns[0], pid, columns[2]));
            }
        }

        return tasks;
    }

    // Each container's shim outlives containerd, so the containers go first.
    private async Task RemoveContainersAsync()
    {
        if (_process!.HasExited)
        {
            return;
        }

        foreach (var task in await TasksAsync())
        {
            await CtrAsync("tasks", "rm", "--force", task.Id);
        }

        var containers = (await CtrAsync("containers", "ls", "--quiet")).Output;
        foreach (var id in containers.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            await CtrAsync("containers", "rm", id);
        }
    }
}
