using System.Text;

namespace Timonel.Agent.Kubelet.Server.Logs;

/// <summary>
/// Writes log records as the user reads them: the raw messages, a partial record's continuation joined to it, the
/// record's timestamp before each line when asked, nothing older than since, and nothing past limitBytes.
/// </summary>
public sealed class LogOutput
{
    private readonly Stream _output;
    private readonly ContainerLogOptions _options;
    private long? _remaining;
    private bool _lineStart = true;

    public LogOutput(Stream output, ContainerLogOptions options)
    {
        _output = output;
        _options = options;
        _remaining = options.LimitBytes;
    }

    /// <summary>Whether limitBytes is used up: nothing more will be written.</summary>
    public bool Full => _remaining is <= 0;

    public async Task WriteAsync(IEnumerable<CriLogRecord> records, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        foreach (var record in records)
        {
            Append(buffer, record);
        }

        if (buffer.Length > 0)
        {
            await _output.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken);
            await _output.FlushAsync(cancellationToken);
        }
    }

    private void Append(MemoryStream buffer, CriLogRecord record)
    {
        if (Full || (_options.Since is { } since && record.Time < since))
        {
            return;
        }

        var start = buffer.Length;
        if (_options.Timestamps && _lineStart)
        {
            buffer.Write(Encoding.ASCII.GetBytes(record.Timestamp + " "));
        }

        buffer.Write(record.Message);
        if (!record.Partial)
        {
            buffer.WriteByte((byte)'\n');
        }

        _lineStart = !record.Partial;
        if (_remaining is { } remaining)
        {
            var written = buffer.Length - start;
            if (written > remaining)
            {
                buffer.SetLength(start + remaining);
                written = remaining;
            }

            _remaining = remaining - written;
        }
    }
}
