using Timonel.HostileTests.Targets;

namespace Timonel.HostileTests.Classes;

/// <summary>Texts upstream v1.32 answers with, quoted from where it writes them.</summary>
internal static class Upstream
{
    /// <summary>negotiation.NewUnsupportedMediaTypeError with the serializers kube-apiserver registers.</summary>
    public const string UnsupportedMediaType =
        "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf";

    /// <summary>negotiation.NewNotAcceptableError.</summary>
    public const string NotAcceptable = "only the following media types are accepted";

    /// <summary>api/resource/quantity.go ErrFormatWrong, which Quantity.UnmarshalJSON returns for text that does not parse.</summary>
    public const string QuantityFormat = "quantities must match the regular expression";

    /// <summary>time.RFC3339, the layout metav1.Time.UnmarshalJSON parses with (named in time.Parse's error).</summary>
    public const string Rfc3339 = "2006-01-02T15:04:05Z07:00";

    /// <summary>apis/meta/v1/micro_time.go RFC3339Micro, the layout MicroTime.UnmarshalJSON parses with.</summary>
    public const string Rfc3339Micro = "2006-01-02T15:04:05.000000Z07:00";

    /// <summary>registry/generic/registry/store.go OptimisticLockErrorMsg.</summary>
    public const string OptimisticLock = "the object has been modified; please apply your changes to the latest version and try again";

    /// <summary>
    /// handlers/rest.go transformDecodeError: "%s in version %q cannot be handled as a %s: %v" around the decoder's
    /// error (encoding/json's "json: cannot unmarshal &lt;JSON type&gt; into Go ...").
    /// </summary>
    public static string DecodeFailure(ServedKind kind, string detail) => $"{kind.Kind} in version \"{kind.Version}\" cannot be handled as a {kind.Kind}: {detail}";

    /// <summary>registry/generic/registry/store.go NamespaceKeyFunc/NoNamespaceKeyFunc over path.IsValidPathSegmentName.</summary>
    public static string NameParameterInvalid(string name) => $"Name parameter invalid: \"{name}\": may not be '{name}'";

    /// <summary>The word encoding/json's UnmarshalTypeError uses for a JSON value.</summary>
    public static string GoJsonWord(System.Text.Json.JsonValueKind kind) => kind switch
    {
        System.Text.Json.JsonValueKind.String => "string",
        System.Text.Json.JsonValueKind.Number => "number",
        System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => "bool",
        System.Text.Json.JsonValueKind.Object => "object",
        _ => "array",
    };
}
