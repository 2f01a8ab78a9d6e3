namespace Timonel.ApiServer.Audit;

/// <summary>
/// The request body as the handler reads it, copied for a Request-level event up to a limit past which the copy is
/// given up: no second read of the body, and nothing buffered that the handler does not read anyway.
/// </summary>
internal sealed class RequestCapture(Stream inner, int limit) : Stream
{
    private readonly BoundedCopy _copy = new(limit);

    /// <summary>The bytes read, or null when they passed the limit.</summary>
    public byte[]? Captured => _copy.Bytes;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        _copy.Add(buffer.AsSpan(offset, read));
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        _copy.Add(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
