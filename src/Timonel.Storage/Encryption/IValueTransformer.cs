namespace Timonel.Storage.Encryption;

/// <summary>
/// One provider's key (upstream's value.Transformer, k8s.io/apiserver/pkg/storage/value): turns a stored value into
/// plaintext and back. <paramref name="key"/> is the storage key; AES-GCM authenticates it so a value copied to
/// another key does not decrypt. Both methods throw <see cref="ValueTransformException"/> with upstream's message.
/// </summary>
public interface IValueTransformer
{
    byte[] FromStorage(ReadOnlySpan<byte> data, string key);

    byte[] ToStorage(ReadOnlySpan<byte> data, string key);
}
