using System.Text;

namespace Timonel.Protobuf.Tests;

/// <summary>Builds protobuf bytes by hand for the decoder tests, so each test states the exact wire input.</summary>
internal static class Wire
{
    public static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>();
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }
        bytes.Add((byte)value);
        return [.. bytes];
    }

    public static byte[] VarintField(int number, long value) => [.. Varint((ulong)number << 3), .. Varint((ulong)value)];

    public static byte[] Field(int number, byte[] payload) => [.. Varint(((ulong)number << 3) | 2), .. Varint((ulong)payload.Length), .. payload];

    public static byte[] Field(int number, string text) => Field(number, Encoding.UTF8.GetBytes(text));

    /// <summary>A whole body: "k8s\0" then runtime.Unknown{typeMeta{apiVersion, kind}, raw}.</summary>
    public static byte[] Envelope(string apiVersion, string kind, params byte[][] fields) =>
        [.. "k8s\0"u8, .. Field(1, [.. Field(1, apiVersion), .. Field(2, kind)]), .. Field(2, fields.SelectMany(f => f).ToArray())];
}
