using System.Globalization;
using System.Text;
using Timonel.Agent.Kubelet.Cri.V1;

namespace Timonel.Agent.Containerd.Images;

/// <summary>
/// The runtime's images as <c>crictl images</c> lists them: one row per tag (or per digest of an untagged image),
/// the image id shortened to 13 characters, and sizes in decimal units with four significant digits.
/// </summary>
public static class ImageTable
{
    private const int ShortIdLength = 13;

    public static string Render(IEnumerable<Image> images)
    {
        var rows = new List<string[]> { new[] { "REPOSITORY", "TAG", "IMAGE ID", "SIZE" } };
        foreach (var image in images)
        {
            var id = ShortId(image.Id);
            var size = HumanSize(image.Size);
            var named = image.RepoTags.Select(SplitTag).Concat(image.RepoTags.Count == 0 ? image.RepoDigests.Select(d => (Repository(d), "<none>")) : []).ToList();
            if (named.Count == 0)
            {
                named.Add(("<none>", "<none>"));
            }

            rows.AddRange(named.Select(n => new[] { n.Item1, n.Item2, id, size }));
        }

        var widths = Enumerable.Range(0, 4).Select(column => rows.Max(row => row[column].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows.Take(1).Concat(rows.Skip(1).OrderBy(r => r[0], StringComparer.Ordinal).ThenBy(r => r[1], StringComparer.Ordinal)))
        {
            text.Append(string.Join("   ", row.Select((cell, column) => column == 3 ? cell : cell.PadRight(widths[column]))).TrimEnd()).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Decimal units with four significant digits, as Docker's go-units HumanSize.</summary>
    public static string HumanSize(ulong bytes)
    {
        string[] units = ["B", "kB", "MB", "GB", "TB", "PB"];
        var value = (double)bytes;
        var unit = 0;
        while (value >= 1000 && unit < units.Length - 1)
        {
            value /= 1000;
            unit++;
        }

        return value.ToString("G4", CultureInfo.InvariantCulture) + units[unit];
    }

    private static string ShortId(string id)
    {
        var hex = id.StartsWith("sha256:", StringComparison.Ordinal) ? id["sha256:".Length..] : id;
        return hex.Length > ShortIdLength ? hex[..ShortIdLength] : hex;
    }

    private static (string, string) SplitTag(string repoTag)
    {
        var colon = repoTag.LastIndexOf(':');
        return colon > repoTag.LastIndexOf('/') ? (repoTag[..colon], repoTag[(colon + 1)..]) : (repoTag, "<none>");
    }

    private static string Repository(string repoDigest)
    {
        var at = repoDigest.IndexOf('@', StringComparison.Ordinal);
        return at < 0 ? repoDigest : repoDigest[..at];
    }
}
