using System.Text.Json;
using System.Text.Json.Nodes;

namespace Timonel.HostileTests.Running;

/// <summary>Compares an answer with upstream's: the code, then for Status answers the reason and the message fragment.</summary>
internal static class AnswerCheck
{
    /// <summary>Why the answer is not upstream's (a short text failures are grouped by), or null when it is.</summary>
    public static string? Mismatch(Expectation expected, Answer answer)
    {
        if (answer.Code is not { } code)
        {
            return "connection dropped";
        }

        if (code != expected.Code)
        {
            return $"expected {expected.Code}, got {code}";
        }

        if (expected.Reason is null)
        {
            return null;
        }

        var status = ParseStatus(answer.Body);
        if (status is null || status["kind"]?.GetValue<string>() != "Status")
        {
            return $"{code}: expected a Status, got another body";
        }

        var reason = status["reason"]?.GetValue<string>();
        if (reason != expected.Reason)
        {
            return $"{code}: expected reason {expected.Reason}, got {reason ?? "none"}";
        }

        var message = status["message"]?.GetValue<string>() ?? "";
        var holds = (expected.Message is null || message.Contains(expected.Message, StringComparison.Ordinal))
            && (expected.AlsoMessage is null || message.Contains(expected.AlsoMessage, StringComparison.Ordinal));
        return holds ? null : $"{code} {reason}: message lacks upstream's text";
    }

    /// <summary>The Status object of a body, also when it came chunk-framed over a raw socket.</summary>
    private static JsonObject? ParseStatus(string body)
    {
        var start = body.IndexOf('{', StringComparison.Ordinal);
        var end = body.LastIndexOf('}');
        if (start < 0 || end < start)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(body[start..(end + 1)]) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
