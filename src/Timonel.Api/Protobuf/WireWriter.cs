using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Timonel.Api.Protobuf;

/// <summary>Writes the protobuf wire format into a growing buffer.</summary>
internal sealed class WireWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new();

    public void WriteVarint(int number, ulong value)
    {
        WriteTag(number, WireType.Varint);
        WriteRawVarint(value);
    }

    public void WriteFixed64(int number, ulong value)
    {
        WriteTag(number, WireType.Fixed64);
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        _buffer.Write(bytes);
    }

    public void WriteFixed32(int number, uint value)
    {
        WriteTag(number, WireType.Fixed32);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        _buffer.Write(bytes);
    }

    public void WriteBytes(int number, ReadOnlySpan<byte> value)
    {
        WriteTag(number, WireType.LengthDelimited);
        WriteRawVarint((ulong)value.Length);
        _buffer.Write(value);
    }

    public void WriteString(int number, string value) => WriteBytes(number, Encoding.UTF8.GetBytes(value));

    public void WriteMessage(int number, WireWriter message) => WriteBytes(number, message._buffer.WrittenSpan);

    public void WriteRaw(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    private void WriteTag(int number, WireType wireType) => WriteRawVarint(((ulong)number << 3) | (ulong)wireType);

    private void WriteRawVarint(ulong value)
    {
        while (value >= 0x80)
        {
            WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        WriteByte((byte)value);
    }

    private void WriteByte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }
}
