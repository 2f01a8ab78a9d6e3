using System.Globalization;

namespace Timonel.Agent.Kubelet.Volumes;

/// <summary>
/// Projects a set of files into a volume directory so that a reader sees either all the old files or all the new
/// ones (upstream pkg/volume/util/atomic_writer.go). The contents live in a hidden timestamped directory
/// <c>..2006_01_02_15_04_05.NNNN</c>; <c>..data</c> is a symlink to it; each top-level visible name is a symlink
/// <c>name -> ..data/name</c>. An update writes a new timestamped directory, points a temporary link at it and
/// renames that link over <c>..data</c> (atomic), then removes names no longer present and the old directory.
/// Names starting with <c>..</c> are the writer's own. Not safe for concurrent writers on one directory.
/// </summary>
internal sealed class AtomicWriter
{
    public const string DataDirName = "..data";
    private const string NewDataDirName = "..data_tmp";
    private const int MaxFileNameLength = 255;
    private const int MaxPathLength = 4096;
    private const UnixFileMode DirectoryMode = (UnixFileMode)0b111_101_101;

    private readonly string _targetDirectory;
    private readonly TimeProvider _time;

    public AtomicWriter(string targetDirectory, TimeProvider time)
    {
        _targetDirectory = targetDirectory;
        _time = time;
    }

    /// <summary>
    /// Makes the directory hold exactly <paramref name="payload"/> (relative paths → files). Nothing is written when
    /// the contents and modes are already those; <paramref name="setPermissions"/> runs on the new timestamped
    /// directory before it becomes visible (fsGroup ownership). Answers whether anything changed. A path that is
    /// absolute, holds <c>..</c> or is too long throws <see cref="ArgumentException"/>.
    /// </summary>
    public bool Write(IReadOnlyDictionary<string, FileProjection> payload, Action<string>? setPermissions = null)
    {
        var clean = Validate(payload);
        Directory.CreateDirectory(_targetDirectory);
        var dataLink = Path.Combine(_targetDirectory, DataDirName);
        var oldName = new FileInfo(dataLink).LinkTarget;
        var oldDirectory = oldName is null ? null : Path.Combine(_targetDirectory, oldName);
        var toRemove = new HashSet<string>(StringComparer.Ordinal);
        if (oldDirectory is not null && Directory.Exists(oldDirectory))
        {
            toRemove = PathsToRemove(clean, oldDirectory);
            if (toRemove.Count == 0 && !Differs(clean, oldDirectory))
            {
                return false;
            }
        }

        var newDirectory = NewTimestampDirectory();
        try
        {
            WritePayload(clean, newDirectory);
            setPermissions?.Invoke(newDirectory);
            CreateVisibleLinks(clean);
            var temporaryLink = Path.Combine(_targetDirectory, NewDataDirName);
            File.Delete(temporaryLink);
            File.CreateSymbolicLink(temporaryLink, Path.GetFileName(newDirectory));
            VolumeSyscalls.Rename(temporaryLink, dataLink);
        }
        catch
        {
            Directory.Delete(newDirectory, recursive: true);
            throw;
        }

        RemoveVisiblePaths(toRemove);
        if (oldDirectory is not null && Directory.Exists(oldDirectory))
        {
            Directory.Delete(oldDirectory, recursive: true);
        }

        return true;
    }

    private static Dictionary<string, FileProjection> Validate(IReadOnlyDictionary<string, FileProjection> payload)
    {
        var clean = new Dictionary<string, FileProjection>(StringComparer.Ordinal);
        foreach (var (path, file) in payload)
        {
            ValidatePath(path);
            clean[string.Join('/', path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != "."))] = file;
        }

        return clean;
    }

    // validatePath: relative, no '..' element, no leading '..', names and paths within the file system's limits.
    private static void ValidatePath(string path)
    {
        if (path.Length == 0)
        {
            throw new ArgumentException("invalid path: must not be empty: \"\"");
        }

        if (path.StartsWith('/'))
        {
            throw new ArgumentException($"invalid path: must be relative path: {path}");
        }

        if (path.Length > MaxPathLength)
        {
            throw new ArgumentException($"invalid path: must be less than or equal to {MaxPathLength} characters");
        }

        var items = path.Split('/');
        foreach (var item in items)
        {
            if (item == "..")
            {
                throw new ArgumentException($"invalid path: must not contain '..': {path}");
            }

            if (item.Length > MaxFileNameLength)
            {
                throw new ArgumentException($"invalid path: filenames must be less than or equal to {MaxFileNameLength} characters");
            }
        }

        if (items[0].StartsWith("..", StringComparison.Ordinal))
        {
            throw new ArgumentException($"invalid path: must not start with '..': {path}");
        }
    }

    // shouldWritePayload, plus the mode: a changed defaultMode or item mode is an update too.
    private static bool Differs(Dictionary<string, FileProjection> payload, string oldDirectory)
    {
        foreach (var (path, file) in payload)
        {
            var onDisk = new FileInfo(Path.Combine(oldDirectory, path));
            if (!onDisk.Exists || onDisk.LinkTarget is not null)
            {
                return true;
            }

            if (onDisk.UnixFileMode != file.Mode || !File.ReadAllBytes(onDisk.FullName).AsSpan().SequenceEqual(file.Data))
            {
                return true;
            }
        }

        return false;
    }

    // pathsToRemove: what the old version holds that neither the new files nor their parent directories name.
    private static HashSet<string> PathsToRemove(Dictionary<string, FileProjection> payload, string oldDirectory)
    {
        var keep = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in payload.Keys)
        {
            for (var sub = path; sub.Length > 0; sub = sub.Contains('/') ? sub[..sub.LastIndexOf('/')] : "")
            {
                keep.Add(sub);
            }
        }

        var present = Directory.EnumerateFileSystemEntries(oldDirectory, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(oldDirectory, p));
        return [.. present.Where(p => !keep.Contains(p))];
    }

    private string NewTimestampDirectory()
    {
        var stamp = _time.GetUtcNow().UtcDateTime.ToString("..yyyy_MM_dd_HH_mm_ss.", CultureInfo.InvariantCulture);
        while (true)
        {
            var candidate = Path.Combine(_targetDirectory, stamp + Random.Shared.Next(0, int.MaxValue).ToString(CultureInfo.InvariantCulture));
            if (!Path.Exists(candidate))
            {
                Directory.CreateDirectory(candidate, DirectoryMode);

                // CreateDirectory's mode is masked by the umask; group and others must be able to walk in.
                File.SetUnixFileMode(candidate, DirectoryMode);
                return candidate;
            }
        }
    }

    private static void WritePayload(Dictionary<string, FileProjection> payload, string directory)
    {
        foreach (var (path, file) in payload)
        {
            var full = Path.Combine(directory, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, file.Data);

            // The mode is set after the write so that the umask does not narrow it.
            File.SetUnixFileMode(full, file.Mode);
        }
    }

    // createUserVisibleFiles: "a/b/c" is reached through "a -> ..data/a".
    private void CreateVisibleLinks(Dictionary<string, FileProjection> payload)
    {
        foreach (var top in payload.Keys.Select(p => p.Split('/')[0]).Distinct(StringComparer.Ordinal))
        {
            var visible = Path.Combine(_targetDirectory, top);
            if (new FileInfo(visible).LinkTarget is null)
            {
                File.CreateSymbolicLink(visible, Path.Combine(DataDirName, top));
            }
        }
    }

    // removeUserVisiblePaths: only the top-level links; deeper names went with the old timestamped directory.
    private void RemoveVisiblePaths(HashSet<string> paths)
    {
        foreach (var path in paths.Where(p => !p.Contains('/')))
        {
            File.Delete(Path.Combine(_targetDirectory, path));
        }
    }
}
