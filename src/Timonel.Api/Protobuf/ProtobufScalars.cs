namespace Timonel.Api.Protobuf;

/// <summary>The proto scalar type names the Kubernetes .proto files use.</summary>
internal static class ProtobufScalars
{
    public const string String = "string";
    public const string Bytes = "bytes";
    public const string Bool = "bool";
    public const string Int32 = "int32";
    public const string Int64 = "int64";
    public const string UInt32 = "uint32";
    public const string UInt64 = "uint64";
    public const string Double = "double";
    public const string Float = "float";

    public static bool IsScalar(string type) =>
        type is String or Bytes or Bool or Int32 or Int64 or UInt32 or UInt64 or Double or Float;

    /// <summary>Whether repeated values of this type may be packed into one length-delimited field.</summary>
    public static bool IsPackable(string type) => IsScalar(type) && type is not (String or Bytes);
}
