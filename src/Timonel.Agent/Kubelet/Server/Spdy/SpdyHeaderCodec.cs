using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Timonel.Agent.Kubelet.Server.Spdy;

/// <summary>
/// SPDY/3 header blocks (a count, then length-prefixed names and values) in the connection's two zlib streams, one
/// per direction, both primed with <see cref="SpdyHeaderDictionary"/>. .NET's zlib has no preset dictionary, so:
/// what this side sends is zlib's stored (uncompressed) blocks, which any inflater reads whatever the dictionary;
/// what the peer sent is inflated after a stored block holding the dictionary, which puts the dictionary in the
/// inflater's window exactly as a preset one would be, and its output is skipped.
/// </summary>
public sealed class SpdyHeaderCodec
{
    private readonly List<byte> _received = [];
    private long _inflated;
    private bool _sentHeader;
    private bool _receivedHeader;

    /// <summary>The next compressed header block for <paramref name="headers"/>.</summary>
    public byte[] Encode(IEnumerable<KeyValuePair<string, string>> headers)
    {
        using var plain = new MemoryStream();
        var list = headers.ToList();
        WriteInt(plain, list.Count);
        foreach (var (name, value) in list)
        {
            WriteString(plain, name.ToLowerInvariant());
            WriteString(plain, value);
        }

        using var block = new MemoryStream();
        if (!_sentHeader)
        {
            // CMF 0x78 (deflate, 32 KiB window), FLG 0x20 (a dictionary follows; 0x7820 is a multiple of 31), its id.
            block.Write([0x78, 0x20]);
            WriteUInt(block, SpdyHeaderDictionary.Id);
            _sentHeader = true;
        }

        WriteStored(block, plain.ToArray(), final: false);
        // zlib's sync flush, an empty stored block, as Go's framer ends every header block: without it Go's inflater
        // looks for the next block past the frame's end and fails the connection's header stream for good.
        WriteStored(block, [], final: false);
        return block.ToArray();
    }

    /// <summary>The headers of the peer's next compressed header block.</summary>
    public Dictionary<string, string> Decode(ReadOnlySpan<byte> block)
    {
        if (!_receivedHeader)
        {
            if (block.Length < 2)
            {
                throw new InvalidDataException("SPDY header block shorter than its zlib header");
            }

            var skip = (block[1] & 0x20) != 0 ? 6 : 2;
            block = block[Math.Min(skip, block.Length)..];
            _receivedHeader = true;
        }

        _received.AddRange(block);
        var plain = InflateNew();
        return ParseHeaders(plain);
    }

    /// <summary>Inflates everything received so far and answers the part not answered before.</summary>
    private byte[] InflateNew()
    {
        using var input = new MemoryStream();
        WriteStored(input, SpdyHeaderDictionary.Bytes, final: false);
        input.Write(_received.ToArray());
        input.Position = 0;
        using var inflater = new DeflateStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        inflater.CopyTo(output);
        var skip = SpdyHeaderDictionary.Bytes.Length + _inflated;
        var fresh = output.ToArray()[(int)skip..];
        _inflated += fresh.Length;
        return fresh;
    }

    private static Dictionary<string, string> ParseHeaders(byte[] plain)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var at = 0;
        var count = ReadInt(plain, ref at);
        for (var i = 0; i < count; i++)
        {
            var name = ReadString(plain, ref at);
            headers[name] = ReadString(plain, ref at);
        }

        return headers;
    }

    private static int ReadInt(byte[] bytes, ref int at)
    {
        if (at + 4 > bytes.Length)
        {
            throw new InvalidDataException("truncated SPDY header block");
        }

        var value = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(at));
        at += 4;
        return value;
    }

    private static string ReadString(byte[] bytes, ref int at)
    {
        var length = ReadInt(bytes, ref at);
        if (length < 0 || at + length > bytes.Length)
        {
            throw new InvalidDataException("truncated SPDY header block");
        }

        var text = Encoding.UTF8.GetString(bytes, at, length);
        at += length;
        return text;
    }

    /// <summary>Deflate stored blocks (type 00): a header byte, LEN and its complement little-endian, the bytes.</summary>
    private static void WriteStored(Stream output, byte[] data, bool final)
    {
        var offset = 0;
        Span<byte> lengths = stackalloc byte[4];
        do
        {
            var length = Math.Min(ushort.MaxValue, data.Length - offset);
            var last = offset + length == data.Length;
            output.WriteByte((byte)(final && last ? 1 : 0));
            BinaryPrimitives.WriteUInt16LittleEndian(lengths, (ushort)length);
            BinaryPrimitives.WriteUInt16LittleEndian(lengths[2..], (ushort)~length);
            output.Write(lengths);
            output.Write(data, offset, length);
            offset += length;
        }
        while (offset < data.Length);
    }

    private static void WriteInt(Stream output, int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        output.Write(bytes);
    }

    private static void WriteUInt(Stream output, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        output.Write(bytes);
    }

    private static void WriteString(Stream output, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        WriteInt(output, bytes.Length);
        output.Write(bytes);
    }
}
