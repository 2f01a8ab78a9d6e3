namespace Timonel.ApiServer.Encryption;

/// <summary>A provider key as the configuration holds it: its name and its secret, base64-encoded.</summary>
public sealed record EncryptionKey(string Name, string Secret);
