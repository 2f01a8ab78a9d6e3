namespace Timonel.ApiServer.Encryption;

/// <summary>K3s' key rotation stages (pkg/secretsencrypt), in the order a rotation passes through them.</summary>
public static class EncryptionStage
{
    public const string Start = "start";
    public const string Prepare = "prepare";
    public const string Rotate = "rotate";
    public const string ReencryptActive = "reencrypt_active";
    public const string ReencryptFinished = "reencrypt_finished";
}
