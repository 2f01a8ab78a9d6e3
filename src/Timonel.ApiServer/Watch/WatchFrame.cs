using System.Buffers;
using System.Text;

namespace Timonel.ApiServer.Watch;

/// <summary>One watch event on the wire: {"type":"ADDED","object":{...}} and a newline, in a single buffer.</summary>
public static class WatchFrame
{
    private static readonly byte[] _suffix = "}\n"u8.ToArray();

    public static byte[] Encode(string type, ReadOnlySpan<byte> objectJson)
    {
        var prefix = Prefix(type);
        var frame = new byte[prefix.Length + objectJson.Length + _suffix.Length];
        prefix.CopyTo(frame, 0);
        objectJson.CopyTo(frame.AsSpan(prefix.Length));
        _suffix.CopyTo(frame, prefix.Length + objectJson.Length);
        return frame;
    }

    /// <summary>The frame of a stored object as served (<see cref="StoredObject.WithResourceVersion"/>), built in one buffer.</summary>
    public static byte[] EncodeStored(string type, byte[] stored, long revision)
    {
        var output = new ArrayBufferWriter<byte>(stored.Length + 64);
        output.Write(Prefix(type));
        StoredObject.WriteWithResourceVersion(output, stored, revision);
        output.Write(_suffix);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>The object inside a frame of <paramref name="type"/>, without copying it.</summary>
    public static ReadOnlySpan<byte> ObjectIn(ReadOnlySpan<byte> frame, string type) => frame[Prefix(type).Length..^_suffix.Length];

    private static byte[] Prefix(string type) => Encoding.UTF8.GetBytes($"{{\"type\":\"{type}\",\"object\":");
}
