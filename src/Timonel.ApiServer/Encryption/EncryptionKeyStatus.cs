namespace Timonel.ApiServer.Encryption;

/// <summary>One key as <c>secrets-encrypt status</c> lists it; Active marks the key writes use.</summary>
public sealed record EncryptionKeyStatus(bool Active, string Type, string Name);
