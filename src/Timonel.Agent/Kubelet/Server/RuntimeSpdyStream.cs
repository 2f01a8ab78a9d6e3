namespace Timonel.Agent.Kubelet.Server;

/// <summary>A connection the runtime's streaming server switched to SPDY/3.1, and the stream protocol it chose (null when it named none).</summary>
public sealed record RuntimeSpdyStream(Stream Stream, string? Protocol);
