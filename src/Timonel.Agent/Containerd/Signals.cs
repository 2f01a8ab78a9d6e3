using System.Runtime.InteropServices;

namespace Timonel.Agent.Containerd;

/// <summary>POSIX signals to a child process (.NET's Process.Kill only sends SIGKILL).</summary>
internal static partial class Signals
{
    public const int Terminate = 15;

    /// <summary>Sends <paramref name="signal"/>; false when the process is already gone.</summary>
    public static bool Send(int processId, int signal) => kill(processId, signal) == 0;

    [DllImport("libc", SetLastError = true)]
#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe blocks in the project for no gain with int-only arguments.
    private static extern int kill(int pid, int sig);
#pragma warning restore SYSLIB1054
}
