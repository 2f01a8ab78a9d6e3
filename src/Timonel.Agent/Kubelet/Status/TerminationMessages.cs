using System.Text;
using k8s.Models;
using Timonel.Agent.Kubelet.Cri.V1;

namespace Timonel.Agent.Kubelet.Status;

/// <summary>
/// A terminated container's message (kuberuntime_container.go getTerminationMessage): the file at its
/// terminationMessagePath as mounted from the host, at most 4 KiB; with FallbackToLogsOnError and a failure and
/// no such message, the last 80 lines of its log, at most 2 KiB.
/// </summary>
internal static class TerminationMessages
{
    public const string DefaultPath = "/dev/termination-log";
    private const int MaxFileBytes = 4096;
    private const int MaxLogBytes = 2048;
    private const int MaxLogLines = 80;

    public static string Read(ContainerStatus container, V1Container? spec)
    {
        var path = container.Annotations.TryGetValue(KubeletLabels.TerminationMessagePathAnnotation, out var annotated) ? annotated : spec?.TerminationMessagePath ?? DefaultPath;
        var message = "";
        if (container.Mounts.FirstOrDefault(m => m.ContainerPath == path) is { } mount && File.Exists(mount.HostPath))
        {
            message = ReadHead(mount.HostPath, MaxFileBytes);
        }

        var policy = container.Annotations.TryGetValue(KubeletLabels.TerminationMessagePolicyAnnotation, out var annotatedPolicy) ? annotatedPolicy : spec?.TerminationMessagePolicy;
        if (message.Length == 0 && policy == "FallbackToLogsOnError" && container.ExitCode != 0 && container.LogPath.Length > 0 && File.Exists(container.LogPath))
        {
            message = LogTail(container.LogPath);
        }

        return message;
    }

    private static string ReadHead(string path, int maxBytes)
    {
        try
        {
            using var stream = File.OpenRead(path);
            var buffer = new byte[maxBytes];
            var read = stream.ReadAtLeast(buffer, maxBytes, throwOnEndOfStream: false);
            return Encoding.UTF8.GetString(buffer, 0, read);
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }

    // CRI log lines are "<time> <stream> <P|F> <content>": a P line continues on the next.
    private static string LogTail(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (IOException)
        {
            return "";
        }

        var content = new StringBuilder();
        foreach (var line in lines.TakeLast(MaxLogLines))
        {
            var parts = line.Split(' ', 4);
            if (parts.Length < 4)
            {
                continue;
            }

            content.Append(parts[3]);
            if (parts[2] != "P")
            {
                content.Append('\n');
            }
        }

        var text = content.ToString();
        var bytes = Encoding.UTF8.GetBytes(text);
        return bytes.Length <= MaxLogBytes ? text : Encoding.UTF8.GetString(bytes, bytes.Length - MaxLogBytes, MaxLogBytes);
    }
}
