namespace Timonel.ApiServer.Encryption;

/// <summary>One entry of an EncryptionConfiguration: resources and the providers their values go through, in order.</summary>
public sealed record EncryptionResources(IReadOnlyList<string> Resources, IReadOnlyList<EncryptionProvider> Providers);
