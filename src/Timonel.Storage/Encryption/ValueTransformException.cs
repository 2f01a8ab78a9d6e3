namespace Timonel.Storage.Encryption;

/// <summary>A value that cannot be decrypted (or encrypted); the message is upstream's error for the case.</summary>
public sealed class ValueTransformException(string message) : Exception(message);
