using System.Text;

namespace Timonel.ApiServer.Watch;

/// <summary>One watch event on the wire: {"type":"ADDED","object":{...}} and a newline, in a single buffer.</summary>
public static class WatchFrame
{
    private static readonly byte[] _suffix = "}\n"u8.ToArray();

    public static byte[] Encode(string type, ReadOnlySpan<byte> objectJson)
    {
        var prefix = Encoding.UTF8.GetBytes($"{{\"type\":\"{type}\",\"object\":");
        var frame = new byte[prefix.Length + objectJson.Length + _suffix.Length];
        prefix.CopyTo(frame, 0);
        objectJson.CopyTo(frame.AsSpan(prefix.Length));
        _suffix.CopyTo(frame, prefix.Length + objectJson.Length);
        return frame;
    }
}
