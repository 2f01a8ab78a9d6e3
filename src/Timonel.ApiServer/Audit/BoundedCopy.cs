namespace Timonel.ApiServer.Audit;

/// <summary>A copy of a body as it passes, given up once it would pass the limit (an event then goes without it).</summary>
internal sealed class BoundedCopy(int limit)
{
    private System.Buffers.ArrayBufferWriter<byte>? _copy = new();

    /// <summary>The bytes seen, or null when they passed the limit.</summary>
    public byte[]? Bytes => _copy?.WrittenSpan.ToArray();

    public void Add(ReadOnlySpan<byte> bytes)
    {
        if (_copy is null)
        {
            return;
        }

        if (_copy.WrittenCount + bytes.Length > limit)
        {
            _copy = null;
            return;
        }

        System.Buffers.BuffersExtensions.Write(_copy, bytes);
    }
}
