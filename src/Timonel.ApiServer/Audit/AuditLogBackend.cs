using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Timonel.ApiServer.Audit;

/// <summary>
/// Writes events to the log off the request path, as upstream's buffered ("batch") backend does: a request only
/// queues its event's bytes; one task writes them and flushes when the queue runs dry. When the queue is full (10,000
/// events, upstream's --audit-log-batch-buffer-size default) the event is dropped and counted, never waited for:
/// upstream drops likewise ("audit buffer queue blocked"), so an overloaded disk slows no request.
/// </summary>
public sealed class AuditLogBackend : IAsyncDisposable
{
    public const int DefaultBufferSize = 10_000;

    private readonly Channel<byte[]> _queue;
    private readonly Action<ReadOnlySpan<byte>> _write;
    private readonly Action _flush;
    private readonly IDisposable? _owned;
    private readonly ILogger _logger;
    private readonly Task _writer;
    private long _dropped;

    private AuditLogBackend(Action<ReadOnlySpan<byte>> write, Action flush, IDisposable? owned, int bufferSize, ILogger logger)
    {
        _write = write;
        _flush = flush;
        _owned = owned;
        _logger = logger;
        _queue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(bufferSize) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Events dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>A backend on --audit-log-path: "-" is standard output, anything else a rotated file.</summary>
    public static AuditLogBackend Create(AuditLogOptions options, TimeProvider time, ILogger logger)
    {
        if (options.Path == "-")
        {
            var stdout = Console.OpenStandardOutput();
            return new AuditLogBackend(stdout.Write, stdout.Flush, stdout, options.BufferSize, logger);
        }

        var file = new RotatingLogFile(options.Path!, options.MaxSizeMegabytes, options.MaxBackups, options.MaxAgeDays, time);
        file.Open();
        return new AuditLogBackend(file.Write, file.Flush, file, options.BufferSize, logger);
    }

    /// <summary>For tests: a backend writing to any stream.</summary>
    public static AuditLogBackend ToStream(Stream stream, int bufferSize, ILogger logger) => new(stream.Write, stream.Flush, null, bufferSize, logger);

    public void Enqueue(byte[] line)
    {
        if (!_queue.Writer.TryWrite(line) && Interlocked.Increment(ref _dropped) % 1000 == 1)
        {
            _logger.LogWarning("audit buffer queue blocked: {Dropped} audit events dropped so far", Dropped);
        }
    }

    private async Task WriteLoopAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            try
            {
                while (reader.TryRead(out var line))
                {
                    _write(line);
                }

                _flush();
            }
            catch (IOException ex)
            {
                _logger.LogError("audit log: {Message}", ex.Message);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
        _owned?.Dispose();
    }
}
