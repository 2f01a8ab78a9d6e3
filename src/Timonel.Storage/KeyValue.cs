namespace Timonel.Storage;

/// <summary>One version of a key. <see cref="ModRevision"/> becomes an object's resourceVersion.</summary>
public sealed record KeyValue(string Key, byte[] Value, long CreateRevision, long ModRevision);
