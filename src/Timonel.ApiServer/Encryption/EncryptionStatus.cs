namespace Timonel.ApiServer.Encryption;

/// <summary>What <c>timonel secrets-encrypt status</c> shows (K3s' fields), plus the outcome of the last command.</summary>
public sealed record EncryptionStatus(bool Enabled, string Stage, IReadOnlyList<EncryptionKeyStatus> Keys, string? Message = null);
