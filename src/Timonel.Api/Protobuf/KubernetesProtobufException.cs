namespace Timonel.Api.Protobuf;

/// <summary>A body that is not a Kubernetes protobuf object this codec knows: malformed bytes, or a kind
/// without a schema. The API server answers 415/400 with the message.</summary>
public sealed class KubernetesProtobufException : Exception
{
    public KubernetesProtobufException(string message)
        : base(message)
    {
    }

    public KubernetesProtobufException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
