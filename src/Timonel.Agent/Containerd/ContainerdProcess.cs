using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Timonel.Agent.Kubelet.Cri;

namespace Timonel.Agent.Containerd;

/// <summary>
/// The agent's own containerd as a child process (K3s' way): started with the agent's config.toml, its output
/// appended to containerd.log, ready once its socket answers CRI Version, started again when it dies, and stopped
/// with SIGTERM (then SIGKILL) on dispose. Containers live in their shims, so a restart of containerd (or of the
/// agent) leaves them running. A containerd left behind by an agent that was killed is stopped first through the
/// pid file, so exactly one serves the socket.
/// </summary>
public sealed class ContainerdProcess : IAsyncDisposable
{
    public const string DefaultBinary = "containerd";

    /// <summary>How long containerd gets to answer after a start (it loads its plugins and metadata first).</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan _stopGrace = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan _firstRestartDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan _maxRestartDelay = TimeSpan.FromSeconds(30);

    private readonly ContainerdPaths _paths;
    private readonly string _binary;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private Process? _process;
    private Task _supervision = Task.CompletedTask;

    private ContainerdProcess(ContainerdPaths paths, string binary, ILogger logger)
    {
        _paths = paths;
        _binary = binary;
        _logger = logger;
        Endpoint = new CriEndpoint(paths.Socket);
    }

    public CriEndpoint Endpoint { get; }

    /// <summary>How many times containerd died and was started again.</summary>
    public int Restarts { get; private set; }

    public int? ProcessId
    {
        get
        {
            lock (_lock)
            {
                return _process is { HasExited: false } running ? running.Id : null;
            }
        }
    }

    private string PidFile => _paths.PidFile;

    /// <summary>Starts containerd on the config already written at <see cref="ContainerdPaths.ConfigFile"/> and waits until it answers.</summary>
    /// <exception cref="TimeoutException">containerd did not answer in time (its log is named in the message).</exception>
    public static async Task<ContainerdProcess> StartAsync(ContainerdPaths paths, ILogger logger, CancellationToken cancellationToken, string binary = DefaultBinary)
    {
        var containerd = new ContainerdProcess(paths, binary, logger);
        try
        {
            await containerd.StopLeftoverAsync();
            await containerd.LaunchAndWaitAsync(cancellationToken);
            containerd._supervision = containerd.SuperviseAsync();
            return containerd;
        }
        catch
        {
            await containerd.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _supervision;
        Process? process;
        lock (_lock)
        {
            process = _process;
            _process = null;
        }

        if (process is not null)
        {
            await StopAsync(process);
            process.Dispose();
        }

        TryDeletePidFile();
        _stopping.Dispose();
    }

    private async Task LaunchAndWaitAsync(CancellationToken cancellationToken)
    {
        var process = Launch();
        using var runtime = new CriRuntime(Endpoint);
        try
        {
            var version = await CriConnection.WaitForVersionAsync(runtime, StartTimeout, cancellationToken, () => !process.HasExited);
            _logger.LogInformation("containerd {Version} (pid {Pid}) serves {Socket}", version.RuntimeVersion, process.Id, _paths.Socket);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"containerd did not start: {ex.Message} (see {_paths.LogFile})", ex);
        }
    }

    private Process Launch()
    {
        Directory.CreateDirectory(_paths.RunDir);
        Directory.CreateDirectory(Path.GetDirectoryName(_paths.LogFile)!);
        // The shell only opens the log for appending and execs containerd, so containerd writes to the file itself:
        // no pipe through the agent that would break (SIGPIPE) if the agent died first.
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var argument in new[] { "-c", "exec \"$0\" --config \"$1\" >>\"$2\" 2>&1 </dev/null", _binary, _paths.ConfigFile, _paths.LogFile })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {_binary}");
        lock (_lock)
        {
            _process = process;
        }

        File.WriteAllText(PidFile, process.Id.ToString(CultureInfo.InvariantCulture));
        return process;
    }

    private async Task SuperviseAsync()
    {
        var delay = _firstRestartDelay;
        while (!_stopping.IsCancellationRequested)
        {
            Process? process;
            lock (_lock)
            {
                process = _process;
            }

            try
            {
                if (process is not null)
                {
                    await process.WaitForExitAsync(_stopping.Token);
                    _logger.LogWarning("containerd exited with code {Code}; starting it again in {Delay} s (see {Log})", process.ExitCode, delay.TotalSeconds, _paths.LogFile);
                    lock (_lock)
                    {
                        _process = null;
                    }

                    process.Dispose();
                }

                await Task.Delay(delay, _stopping.Token);
                Restarts++;
                await LaunchAndWaitAsync(_stopping.Token);
                delay = _firstRestartDelay;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
            {
                _logger.LogError("containerd: {Message}", ex.Message);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _maxRestartDelay.Ticks));
                await StopUnresponsiveAsync();
            }
        }
    }

    /// <summary>A containerd that runs but never answered is stopped, so the loop starts a fresh one.</summary>
    private async Task StopUnresponsiveAsync()
    {
        Process? process;
        lock (_lock)
        {
            process = _process;
        }

        if (process is not null)
        {
            await StopAsync(process);
        }
    }

    private async Task StopAsync(Process process)
    {
        if (process.HasExited)
        {
            return;
        }

        Signals.Send(process.Id, Signals.Terminate);
        using var grace = new CancellationTokenSource(_stopGrace);
        try
        {
            await process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            _logger.LogWarning("containerd did not stop within {Grace} s of SIGTERM; killing it", _stopGrace.TotalSeconds);
            process.Kill();
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    /// <summary>Stops the containerd an agent started on these paths and left running (<c>timonel killall</c>), if there is one.</summary>
    public static async Task StopLeftoverAsync(ContainerdPaths paths, ILogger logger)
    {
        await using var containerd = new ContainerdProcess(paths, DefaultBinary, logger);
        await containerd.StopLeftoverAsync();
    }

    /// <summary>Stops a containerd that an earlier agent started on this run dir and left running when it died.</summary>
    private async Task StopLeftoverAsync()
    {
        if (!File.Exists(PidFile) || !int.TryParse(File.ReadAllText(PidFile).Trim(), CultureInfo.InvariantCulture, out var pid))
        {
            return;
        }

        try
        {
            using var leftover = Process.GetProcessById(pid);
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
            if (!commandLine.Contains(_paths.ConfigFile, StringComparison.Ordinal))
            {
                return;
            }

            _logger.LogInformation("stopping containerd (pid {Pid}) left running by an earlier agent", pid);
            await StopAsync(leftover);
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or InvalidOperationException)
        {
            // Gone already, or the pid now belongs to a process that is not ours.
        }
    }

    private void TryDeletePidFile()
    {
        try
        {
            File.Delete(PidFile);
        }
        catch (IOException)
        {
        }
    }
}
