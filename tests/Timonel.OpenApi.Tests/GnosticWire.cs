using System.Text;
using Timonel.Api.Protobuf;

namespace Timonel.OpenApi.Tests;

/// <summary>
/// Reads gnostic's openapi.v2 messages back from the wire by field number (OpenAPIv2.proto), with the protobuf reader the
/// API server uses for Kubernetes objects, so the tests check the encoding without trusting the encoder.
/// </summary>
internal static class GnosticWire
{
    /// <summary>The bytes of every length-delimited field reached from <paramref name="message"/> along field numbers.</summary>
    public static IReadOnlyList<byte[]> Find(byte[] message, params int[] path)
    {
        IReadOnlyList<byte[]> current = [message];
        foreach (var number in path)
        {
            current = [.. current.SelectMany(m => Fields(m, number))];
        }

        return current;
    }

    /// <summary>The single length-delimited field at the end of <paramref name="path"/>.</summary>
    public static byte[] One(byte[] message, params int[] path) => Assert.Single(Find(message, path));

    /// <summary>gnostic's Named* pairs in field <paramref name="number"/>: (name = 1, value = 2), in wire order.</summary>
    public static IReadOnlyList<(string Name, byte[] Value)> Named(byte[] message, int number) =>
        [.. Fields(message, number).Select(pair => (Text(One(pair, 1)), One(pair, 2)))];

    /// <summary>The varint fields numbered <paramref name="number"/>.</summary>
    public static IReadOnlyList<ulong> Varints(byte[] message, int number) =>
        [.. WireReader.ReadFields(message, 0, message.Length).Where(f => f.Number == number && f.WireType == WireType.Varint).Select(f => f.Value)];

    /// <summary>The repeated string field <paramref name="number"/>.</summary>
    public static IReadOnlyList<string> Strings(byte[] message, int number) => [.. Fields(message, number).Select(Text)];

    public static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    private static IEnumerable<byte[]> Fields(byte[] message, int number) =>
        WireReader.ReadFields(message, 0, message.Length)
            .Where(f => f.Number == number && f.WireType == WireType.LengthDelimited)
            .Select(f => message.AsSpan(f.Offset, f.Length).ToArray());
}
