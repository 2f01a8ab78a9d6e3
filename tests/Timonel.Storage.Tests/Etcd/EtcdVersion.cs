using System.Diagnostics;
using System.Text.RegularExpressions;
using Timonel.Testing;

namespace Timonel.Storage.Tests.Etcd;

/// <summary>The version of the etcd binary the tests start, as `etcd --version` prints it.</summary>
internal static partial class EtcdVersion
{
    public static async Task<Version> OfBinaryAsync()
    {
        using var process = Process.Start(new ProcessStartInfo(EtcdProcess.Binary, "--version") { RedirectStandardOutput = true })
            ?? throw new InvalidOperationException($"could not run {EtcdProcess.Binary}");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var match = VersionLine().Match(output);
        return match.Success ? Version.Parse(match.Groups[1].Value) : throw new InvalidOperationException($"no version in: {output}");
    }

    [GeneratedRegex(@"etcd Version: (\d+\.\d+\.\d+)")]
    private static partial Regex VersionLine();
}
