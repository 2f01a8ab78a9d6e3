namespace Timonel.Protobuf.Tests;

/// <summary>A write request kubectl sent to the <see cref="CaptureServer"/>.</summary>
public sealed record CapturedRequest(string Method, string Path, string? ContentType, byte[] Body);
