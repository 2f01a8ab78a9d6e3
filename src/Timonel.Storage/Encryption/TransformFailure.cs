using System.Text;

namespace Timonel.Storage.Encryption;

/// <summary>
/// What a read returns in place of a value it could not decrypt: a marker no JSON object and no stored value starts
/// with, and the error. Lists and watches go on (the watch cache loads every key at start, so one undecryptable
/// Secret must not stop the server); whoever decodes the value (the API server) answers with the error for that
/// object instead, as upstream's store does per key.
/// </summary>
public static class TransformFailure
{
    private static ReadOnlySpan<byte> Marker => "\0timonel:transform-failure:"u8;

    /// <summary>The placeholder for <paramref name="key"/>; its error reads as upstream's etcd3 store says it.</summary>
    public static byte[] Create(string key, string reason)
    {
        var message = Encoding.UTF8.GetBytes($"unable to transform key \"{key}\": {reason}");
        var value = new byte[Marker.Length + message.Length];
        Marker.CopyTo(value);
        message.CopyTo(value, Marker.Length);
        return value;
    }

    /// <summary>The error a placeholder carries, or null for any other value.</summary>
    public static string? ErrorOf(ReadOnlySpan<byte> value) =>
        value.StartsWith(Marker) ? Encoding.UTF8.GetString(value[Marker.Length..]) : null;
}
