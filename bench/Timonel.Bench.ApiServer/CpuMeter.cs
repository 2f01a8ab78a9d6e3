using System.Diagnostics;
using System.Globalization;

namespace Timonel.Bench.ApiServer;

/// <summary>
/// User + system CPU of the server, etcd and this process from /proc/PID/stat, so each figure says which process
/// had the machine's two cores (dotnet-counters and perf are not installed here).
/// </summary>
internal sealed class CpuMeter
{
    // USER_HZ: the unit of utime/stime in /proc/PID/stat; 100 on every Linux architecture .NET runs on.
    private const double TicksPerSecond = 100;
    private readonly int? _server;
    private readonly int? _etcd;
    private (double Server, double Etcd, double Bench) _start;
    private long _started;

    public CpuMeter(int? server, int? etcd)
    {
        _server = server;
        _etcd = etcd;
    }

    /// <summary>The pid of the process whose command line contains <paramref name="needle"/>, if any.</summary>
    public static int? FindProcess(string needle)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), CultureInfo.InvariantCulture, out var pid))
            {
                try
                {
                    if (File.ReadAllText(Path.Combine(directory, "cmdline")).Contains(needle, StringComparison.Ordinal))
                    {
                        return pid;
                    }
                }
                catch (IOException)
                {
                    // The process ended while we looked.
                }
            }
        }

        return null;
    }

    public void Start()
    {
        _start = Now();
        _started = Stopwatch.GetTimestamp();
    }

    public CpuUse Stop()
    {
        var now = Now();
        var wall = Stopwatch.GetElapsedTime(_started).TotalSeconds;
        return new CpuUse((now.Server - _start.Server) / wall, (now.Etcd - _start.Etcd) / wall, (now.Bench - _start.Bench) / wall);
    }

    private (double Server, double Etcd, double Bench) Now() => (Seconds(_server), Seconds(_etcd), Seconds(Environment.ProcessId));

    private static double Seconds(int? pid)
    {
        if (pid is null)
        {
            return 0;
        }

        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the parenthesised command name: state is field 3, utime 14, stime 15 (proc(5)).
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
