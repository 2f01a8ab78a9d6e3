namespace Timonel.Storage.Encryption;

/// <summary>The providers of the keys under one storage prefix (a resource, or every resource of a group).</summary>
public sealed record ResourceTransformers(string KeyPrefix, PrefixTransformers Transformers);
