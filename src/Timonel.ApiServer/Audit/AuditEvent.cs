using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Timonel.ApiServer.Auth;

namespace Timonel.ApiServer.Audit;

/// <summary>
/// One request's audit event (audit.k8s.io/v1 Event), filled in as the request goes on and written once per stage as
/// a JSON line, fields in upstream's order (staging/src/k8s.io/apiserver/pkg/apis/audit/v1/types.go), empty ones left
/// out as its omitempty tags do.
/// </summary>
public sealed class AuditEvent
{
    private static readonly JsonWriterOptions _writerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public required AuditLevel Level { get; set; }

    public required string AuditId { get; init; }

    public AuditStage Stage { get; set; }

    public required string RequestUri { get; init; }

    public required string Verb { get; init; }

    /// <summary>The authenticated user; null (written as {}) when none was.</summary>
    public UserInfo? User { get; set; }

    public UserInfo? ImpersonatedUser { get; set; }

    public IReadOnlyList<string> SourceIps { get; init; } = [];

    public string? UserAgent { get; init; }

    public AuditObjectReference? ObjectRef { get; set; }

    public AuditResponseStatus? ResponseStatus { get; set; }

    public JsonNode? RequestObject { get; set; }

    public JsonNode? ResponseObject { get; set; }

    public DateTimeOffset RequestReceivedTimestamp { get; init; }

    public DateTimeOffset StageTimestamp { get; set; }

    /// <summary>Sorted, as Go writes a map.</summary>
    public SortedDictionary<string, string> Annotations { get; } = new(StringComparer.Ordinal);

    /// <summary>The event as one line of the log, newline included.</summary>
    public byte[] ToJsonLine()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, _writerOptions))
        {
            Write(writer);
        }

        var line = new byte[buffer.WrittenCount + 1];
        buffer.WrittenSpan.CopyTo(line);
        line[^1] = (byte)'\n';
        return line;
    }

    /// <summary>metav1.MicroTime: RFC 3339 in UTC with six fractional digits.</summary>
    public static string MicroTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("kind", "Event");
        writer.WriteString("apiVersion", "audit.k8s.io/v1");
        writer.WriteString("level", Level.ToString());
        writer.WriteString("auditID", AuditId);
        writer.WriteString("stage", Stage.ToString());
        writer.WriteString("requestURI", RequestUri);
        writer.WriteString("verb", Verb);
        writer.WritePropertyName("user");
        WriteUser(writer, User);
        if (ImpersonatedUser is not null)
        {
            writer.WritePropertyName("impersonatedUser");
            WriteUser(writer, ImpersonatedUser);
        }

        if (SourceIps.Count > 0)
        {
            writer.WriteStartArray("sourceIPs");
            foreach (var ip in SourceIps)
            {
                writer.WriteStringValue(ip);
            }

            writer.WriteEndArray();
        }

        WriteIfSet(writer, "userAgent", UserAgent);
        if (ObjectRef is { } reference)
        {
            writer.WriteStartObject("objectRef");
            WriteIfSet(writer, "resource", reference.Resource);
            WriteIfSet(writer, "namespace", reference.Namespace);
            WriteIfSet(writer, "name", reference.Name);
            WriteIfSet(writer, "apiGroup", reference.ApiGroup);
            WriteIfSet(writer, "apiVersion", reference.ApiVersion);
            WriteIfSet(writer, "subresource", reference.Subresource);
            writer.WriteEndObject();
        }

        if (ResponseStatus is { } status)
        {
            writer.WriteStartObject("responseStatus");
            writer.WriteStartObject("metadata");
            writer.WriteEndObject();
            WriteIfSet(writer, "status", status.Status);
            WriteIfSet(writer, "message", status.Message);
            WriteIfSet(writer, "reason", status.Reason);
            if (status.Details is not null)
            {
                writer.WritePropertyName("details");
                status.Details.WriteTo(writer);
            }

            writer.WriteNumber("code", status.Code);
            writer.WriteEndObject();
        }

        if (RequestObject is not null)
        {
            writer.WritePropertyName("requestObject");
            RequestObject.WriteTo(writer);
        }

        if (ResponseObject is not null)
        {
            writer.WritePropertyName("responseObject");
            ResponseObject.WriteTo(writer);
        }

        writer.WriteString("requestReceivedTimestamp", MicroTime(RequestReceivedTimestamp));
        writer.WriteString("stageTimestamp", MicroTime(StageTimestamp));
        if (Annotations.Count > 0)
        {
            writer.WriteStartObject("annotations");
            foreach (var (key, value) in Annotations)
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    // authentication/v1 UserInfo: username, uid, groups, extra, each omitempty.
    private static void WriteUser(Utf8JsonWriter writer, UserInfo? user)
    {
        writer.WriteStartObject();
        if (user is not null)
        {
            WriteIfSet(writer, "username", user.Name);
            WriteIfSet(writer, "uid", user.Uid);
            if (user.Groups.Count > 0)
            {
                writer.WriteStartArray("groups");
                foreach (var group in user.Groups)
                {
                    writer.WriteStringValue(group);
                }

                writer.WriteEndArray();
            }

            if (user.Extra.Count > 0)
            {
                writer.WriteStartObject("extra");
                foreach (var (key, values) in user.Extra.OrderBy(e => e.Key, StringComparer.Ordinal))
                {
                    writer.WriteStartArray(key);
                    foreach (var value in values)
                    {
                        writer.WriteStringValue(value);
                    }

                    writer.WriteEndArray();
                }

                writer.WriteEndObject();
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteIfSet(Utf8JsonWriter writer, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            writer.WriteString(name, value);
        }
    }
}
