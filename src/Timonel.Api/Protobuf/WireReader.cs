using System.Buffers.Binary;

namespace Timonel.Api.Protobuf;

/// <summary>Reads the protobuf wire format: varints, tags and length-delimited fields over a byte buffer.</summary>
internal static class WireReader
{
    /// <summary>Reads a base-128 varint at <paramref name="position"/> and advances past it.</summary>
    public static ulong ReadVarint(ReadOnlySpan<byte> data, ref int position)
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= data.Length)
            {
                throw new KubernetesProtobufException("truncated varint");
            }
            var b = data[position++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }
        throw new KubernetesProtobufException("varint longer than 10 bytes");
    }

    /// <summary>All field occurrences of the message stored in buffer[offset..offset+length], in wire order.</summary>
    public static List<WireField> ReadFields(byte[] buffer, int offset, int length)
    {
        var data = buffer.AsSpan(0, offset + length);
        var fields = new List<WireField>();
        var position = offset;
        while (position < data.Length)
        {
            var tag = ReadVarint(data, ref position);
            var number = (int)(tag >> 3);
            var wireType = (WireType)(tag & 7);
            if (number <= 0)
            {
                throw new KubernetesProtobufException($"invalid field number {number}");
            }
            switch (wireType)
            {
                case WireType.Varint:
                    fields.Add(new WireField(number, wireType, ReadVarint(data, ref position), 0, 0));
                    break;
                case WireType.Fixed64:
                    fields.Add(new WireField(number, wireType, BinaryPrimitives.ReadUInt64LittleEndian(Take(data, ref position, 8)), 0, 0));
                    break;
                case WireType.Fixed32:
                    fields.Add(new WireField(number, wireType, BinaryPrimitives.ReadUInt32LittleEndian(Take(data, ref position, 4)), 0, 0));
                    break;
                case WireType.LengthDelimited:
                    var size = ReadVarint(data, ref position);
                    if (size > (ulong)(data.Length - position))
                    {
                        throw new KubernetesProtobufException($"field {number} is longer than its message");
                    }
                    fields.Add(new WireField(number, wireType, 0, position, (int)size));
                    position += (int)size;
                    break;
                default:
                    throw new KubernetesProtobufException($"unsupported wire type {(int)wireType} in field {number}");
            }
        }
        return fields;
    }

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> data, ref int position, int count)
    {
        if (data.Length - position < count)
        {
            throw new KubernetesProtobufException("truncated fixed-width field");
        }
        var slice = data.Slice(position, count);
        position += count;
        return slice;
    }
}
