using System.Diagnostics;

namespace Timonel.Agent.Containerd.Images;

/// <summary>
/// Names of images in containerd's k8s.io namespace, changed through containerd's own client (ctr), since the CRI has
/// no call to tag an image. containerd's CRI plugin follows image create and delete events, so a name given here is
/// one ImageStatus and CreateContainer find, and a name removed here leaves the image under its other names.
/// </summary>
public sealed class ContainerdImageNames(string socketPath, string ctrBinary = ImageImporter.DefaultCtr) : IImageNames
{
    /// <summary>Gives the image named <paramref name="source"/> the name <paramref name="target"/> too (replacing what had it).</summary>
    /// <exception cref="IOException">ctr failed; the message has its error.</exception>
    public Task TagAsync(string source, string target, CancellationToken cancellationToken) =>
        RunAsync(["images", "tag", "--force", source, target], cancellationToken);

    /// <summary>Removes one name; the content stays while another name refers to it.</summary>
    /// <exception cref="IOException">ctr failed; the message has its error.</exception>
    public Task RemoveAsync(string name, CancellationToken cancellationToken) =>
        RunAsync(["images", "rm", name], cancellationToken);

    private async Task RunAsync(string[] command, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(ctrBinary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--address", socketPath, "--namespace", ImageImporter.CriNamespace }.Concat(command))
        {
            start.ArgumentList.Add(argument);
        }

        Process? ctr;
        try
        {
            ctr = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new IOException($"could not run {ctrBinary} ({ex.Message}): install the Debian package containerd", ex);
        }

        using (ctr ?? throw new IOException($"could not start {ctrBinary}"))
        {
            var output = ctr.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = ctr.StandardError.ReadToEndAsync(cancellationToken);
            await ctr.WaitForExitAsync(cancellationToken);
            await output;
            if (ctr.ExitCode != 0)
            {
                throw new IOException($"ctr {string.Join(' ', command)}: {(await errors).Trim()}");
            }
        }
    }
}
