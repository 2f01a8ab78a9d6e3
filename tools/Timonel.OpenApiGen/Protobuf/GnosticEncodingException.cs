namespace Timonel.OpenApiGen.Protobuf;

/// <summary>A swagger document that gnostic's OpenAPI v2 messages cannot hold, naming where ("$root.paths./api.get").</summary>
public sealed class GnosticEncodingException(string message) : Exception(message);
