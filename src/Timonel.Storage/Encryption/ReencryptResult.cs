namespace Timonel.Storage.Encryption;

/// <summary>What a reencryption did.</summary>
/// <param name="Rewritten">Values rewritten with the write key.</param>
/// <param name="Current">Values already written with it.</param>
/// <param name="Failures">Values that could not be decrypted (their keys and errors); they keep their old bytes.</param>
public sealed record ReencryptResult(long Rewritten, long Current, IReadOnlyList<string> Failures);
