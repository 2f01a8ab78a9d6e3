using System.Globalization;

namespace Timonel.ApiServer.Audit;

/// <summary>
/// An append-only log file rotated by size as kube-apiserver's audit log is (it writes through lumberjack): before a
/// write would take the file past the maximum, the file is renamed to &lt;name&gt;-&lt;UTC time&gt;.&lt;ext&gt; and a new
/// one started; then backups beyond the count to keep, or older than the days to keep, are removed (0 keeps all).
/// </summary>
public sealed class RotatingLogFile : IDisposable
{
    /// <summary>lumberjack's size when none is given (MaxSize 0): 100 megabytes.</summary>
    public const int DefaultMaxSizeMegabytes = 100;

    // lumberjack's backupTimeFormat: "2006-01-02T15-04-05.000".
    private const string BackupTimeFormat = "yyyy-MM-dd'T'HH-mm-ss.fff";
    private const int StampLength = 23;

    private readonly string _path;
    private readonly long _maxBytes;
    private readonly int _maxBackups;
    private readonly int _maxAgeDays;
    private readonly TimeProvider _time;
    private FileStream? _file;

    public RotatingLogFile(string path, int maxSizeMegabytes, int maxBackups, int maxAgeDays, TimeProvider time)
    {
        _path = Path.GetFullPath(path);
        _maxBytes = (long)(maxSizeMegabytes > 0 ? maxSizeMegabytes : DefaultMaxSizeMegabytes) * 1024 * 1024;
        _maxBackups = maxBackups;
        _maxAgeDays = maxAgeDays;
        _time = time;
    }

    /// <summary>A maximum in bytes rather than megabytes (tests rotate at a few hundred bytes).</summary>
    public RotatingLogFile(string path, long maxBytes, int maxBackups, TimeProvider time)
        : this(path, 1, maxBackups, 0, time) => _maxBytes = maxBytes;

    /// <summary>Creates the file (mode 0600, as kube-apiserver's ensureLogFile) so a bad path fails at start, not at the first event.</summary>
    public void Open()
    {
        if (_file is null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            _file = OpenFile();
        }
    }

    public void Write(ReadOnlySpan<byte> line)
    {
        if (line.Length > _maxBytes)
        {
            // lumberjack refuses such a write: "write length %d exceeds maximum file size %d".
            throw new IOException($"write length {line.Length} exceeds maximum file size {_maxBytes}");
        }

        Open();
        if (_file!.Length + line.Length > _maxBytes)
        {
            Rotate();
        }

        _file!.Write(line);
    }

    public void Flush() => _file?.Flush();

    public void Dispose() => _file?.Dispose();

    private FileStream OpenFile()
    {
        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read, BufferSize = 64 * 1024 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(_path, options);
    }

    private void Rotate()
    {
        _file!.Dispose();
        _file = null;
        var now = _time.GetUtcNow();
        File.Move(_path, BackupPath(now));
        _file = OpenFile();
        RemoveOldBackups(now);
    }

    private string BackupPath(DateTimeOffset time)
    {
        var directory = Path.GetDirectoryName(_path)!;
        var extension = Path.GetExtension(_path);
        var prefix = Path.GetFileNameWithoutExtension(_path);
        var backup = Path.Combine(directory, $"{prefix}-{time.UtcDateTime.ToString(BackupTimeFormat, CultureInfo.InvariantCulture)}{extension}");
        // Two rotations within a millisecond would reuse a name; keep both rather than overwrite one.
        for (var i = 1; File.Exists(backup); i++)
        {
            backup = Path.Combine(directory, $"{prefix}-{time.UtcDateTime.ToString(BackupTimeFormat, CultureInfo.InvariantCulture)}.{i}{extension}");
        }

        return backup;
    }

    private void RemoveOldBackups(DateTimeOffset now)
    {
        if (_maxBackups <= 0 && _maxAgeDays <= 0)
        {
            return;
        }

        var backups = Backups().OrderByDescending(b => b.Time).ThenByDescending(b => b.Path, StringComparer.Ordinal).ToList();
        var remove = new List<string>();
        if (_maxBackups > 0)
        {
            remove.AddRange(backups.Skip(_maxBackups).Select(b => b.Path));
        }

        if (_maxAgeDays > 0)
        {
            var cutoff = now.UtcDateTime.AddDays(-_maxAgeDays);
            remove.AddRange(backups.Where(b => b.Time < cutoff).Select(b => b.Path));
        }

        foreach (var path in remove.Distinct())
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
                // Removed by someone else, or in use: the next rotation tries again.
            }
        }
    }

    /// <summary>This log's backups, with the time their names carry (files that only look alike are left alone).</summary>
    private IEnumerable<(string Path, DateTime Time)> Backups()
    {
        var extension = Path.GetExtension(_path);
        var prefix = Path.GetFileNameWithoutExtension(_path) + "-";
        foreach (var file in Directory.EnumerateFiles(Path.GetDirectoryName(_path)!, prefix + "*" + extension))
        {
            var name = Path.GetFileName(file);
            var stamp = name[prefix.Length..^extension.Length];
            if (stamp.Length >= StampLength
                && DateTime.TryParseExact(stamp[..StampLength], BackupTimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time))
            {
                yield return (file, time);
            }
        }
    }
}
