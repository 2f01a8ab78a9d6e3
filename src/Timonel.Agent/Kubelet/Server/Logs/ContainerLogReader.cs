namespace Timonel.Agent.Kubelet.Server.Logs;

/// <summary>
/// Reads a container's CRI log file for /containerLogs (upstream's kuberuntime/logs.ReadLogs): what the file holds
/// (its last tailLines lines when asked), then, when following, what the runtime appends, until the container is no
/// longer running and the file has nothing more. A file that shrinks was rotated: reading starts over on the new one.
/// </summary>
public sealed class ContainerLogReader
{
    private readonly TimeSpan _pollInterval;

    public ContainerLogReader(TimeSpan? pollInterval = null) => _pollInterval = pollInterval ?? TimeSpan.FromMilliseconds(200);

    public async Task CopyAsync(string path, ContainerLogOptions options, Stream output, Func<CancellationToken, Task<bool>> isRunning, CancellationToken cancellationToken)
    {
        var writer = new LogOutput(output, options);
        var (records, position) = await ReadCompleteLinesAsync(path, 0, cancellationToken);
        await writer.WriteAsync(options.TailLines is { } tail ? LastLines(records, tail) : records, cancellationToken);
        if (!options.Follow)
        {
            return;
        }

        while (!writer.Full)
        {
            if (FileLength(path) < position)
            {
                position = 0;
            }

            // Whether it still runs is asked before reading, so the lines written before it stopped are all read.
            var running = await isRunning(cancellationToken);
            (records, position) = await ReadCompleteLinesAsync(path, position, cancellationToken);
            await writer.WriteAsync(records, cancellationToken);
            if (!running)
            {
                return;
            }

            if (records.Count == 0)
            {
                await Task.Delay(_pollInterval, cancellationToken);
            }
        }
    }

    /// <summary>The records of the lines ending in a newline after <paramref name="position"/>, and where the next read starts.</summary>
    private static async Task<(List<CriLogRecord> Records, long Position)> ReadCompleteLinesAsync(string path, long position, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (file.Length <= position)
            {
                return ([], position);
            }

            file.Position = position;
            bytes = new byte[file.Length - position];
            var read = await file.ReadAtLeastAsync(bytes, bytes.Length, throwOnEndOfStream: false, cancellationToken);
            bytes = bytes[..read];
        }
        catch (FileNotFoundException)
        {
            // Between a rotation's rename and the runtime's reopen the file is briefly missing.
            return ([], position);
        }

        var records = new List<CriLogRecord>();
        var consumed = 0;
        int newline;
        while ((newline = bytes.AsSpan(consumed).IndexOf((byte)'\n')) >= 0)
        {
            if (CriLogRecord.Parse(bytes.AsSpan(consumed, newline)) is { } record)
            {
                records.Add(record);
            }

            consumed += newline + 1;
        }

        return (records, position + consumed);
    }

    /// <summary>The records of the last <paramref name="count"/> lines, a line being the partial records up to a full one.</summary>
    private static List<CriLogRecord> LastLines(List<CriLogRecord> records, long count)
    {
        var start = records.Count;
        var lines = 0L;
        for (var i = records.Count - 1; i >= 0; i--)
        {
            if (!records[i].Partial)
            {
                if (lines == count)
                {
                    break;
                }

                lines++;
            }

            start = i;
        }

        return count == 0 ? [] : records[start..];
    }

    private static long FileLength(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? info.Length : 0;
    }
}
