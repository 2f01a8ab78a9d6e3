using System.Text;

namespace Timonel.ApiServer.Watch;

/// <summary>One watch event on the wire: {"type":"ADDED","object":{...}} and a newline, in a single buffer.</summary>
public static class WatchFrame
{
    private static readonly byte[] Suffix = "}\n"u8.ToArray();

    public static byte[] Encode(string type, ReadOnlySpan<byte> objectJson)
    {
        var prefix = Encoding.UTF8.GetBytes($"{{\"type\":\"{type}\",\"object\":");
        var frame = new byte[prefix.Length + objectJson.Length + Suffix.Length];
        prefix.CopyTo(frame, 0);
        objectJson.CopyTo(frame.AsSpan(prefix.Length));
        Suffix.CopyTo(frame, prefix.Length + objectJson.Length);
        return frame;
    }
}
