using System.Text.Json.Nodes;

namespace Timonel.ApiServer.Audit;

/// <summary>
/// The answer as an event records it (a metav1.Status): the code always; status, message, reason and details when
/// the answer was a Status (audit/request.go LogResponseObject copies just those fields).
/// </summary>
public sealed record AuditResponseStatus(int Code)
{
    public string? Status { get; init; }

    public string? Message { get; init; }

    public string? Reason { get; init; }

    public JsonNode? Details { get; init; }

    /// <summary>The fields of a Status body a handler wrote, with the code it was sent with.</summary>
    public static AuditResponseStatus From(JsonObject status, int code) => new(code)
    {
        Status = Text(status, "status"),
        Message = Text(status, "message"),
        Reason = Text(status, "reason"),
        Details = status["details"]?.DeepClone(),
    };

    private static string? Text(JsonObject owner, string field) => owner[field] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
}
