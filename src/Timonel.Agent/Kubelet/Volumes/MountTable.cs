namespace Timonel.Agent.Kubelet.Volumes;

/// <summary>The mounts of this process's mount namespace (/proc/self/mountinfo), to find what teardown must unmount.</summary>
internal static class MountTable
{
    private const string MountInfo = "/proc/self/mountinfo";

    /// <summary>The mount points at or under <paramref name="directory"/>, deepest first.</summary>
    public static IReadOnlyList<string> MountsUnder(string directory)
    {
        if (!File.Exists(MountInfo))
        {
            return [];
        }

        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        return [.. File.ReadLines(MountInfo)
            .Select(MountPoint)
            .Where(p => p == root || p.StartsWith(root + "/", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(p => p.Length)];
    }

    public static bool IsMountPoint(string directory) =>
        MountsUnder(directory).Contains(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)));

    // The fifth field; spaces and other specials are written as octal escapes (\040).
    private static string MountPoint(string line)
    {
        var field = line.Split(' ')[4];
        return System.Text.RegularExpressions.Regex.Replace(field, @"\\([0-7]{3})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString());
    }
}
