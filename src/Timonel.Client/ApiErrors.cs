using System.Text.Json;
using k8s.Autorest;

namespace Timonel.Client;

/// <summary>What an API error says, as client-go's StatusError.Error() prints it in events and conditions.</summary>
public static class ApiErrors
{
    /// <summary>The message of the Status the API server answered with; else the body as sent, or the exception's own message.</summary>
    public static string Message(HttpOperationException ex)
    {
        var body = ex.Response?.Content;
        if (string.IsNullOrEmpty(body))
        {
            return ex.Message;
        }

        try
        {
            using var status = JsonDocument.Parse(body);
            return status.RootElement.ValueKind == JsonValueKind.Object
                && status.RootElement.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String
                ? message.GetString()!
                : body;
        }
        catch (JsonException)
        {
            return body;
        }
    }
}
