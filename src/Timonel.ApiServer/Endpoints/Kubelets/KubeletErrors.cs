namespace Timonel.ApiServer.Endpoints.Kubelets;

/// <summary>How a kubelet's failures reach the API server's client, as upstream's generic server responses.</summary>
public static class KubeletErrors
{
    public static StatusException Unreachable(Uri kubelet, Exception cause) =>
        new(502, "BadGateway", $"error dialing backend: {cause.GetBaseException().Message} (kubelet at {kubelet.Authority})");

    /// <summary>The kubelet's refusal (its body is the message), with the reason its status code means.</summary>
    public static StatusException Refused(int statusCode, string message)
    {
        var reason = statusCode switch
        {
            400 => "BadRequest",
            401 => "Unauthorized",
            403 => "Forbidden",
            404 => "NotFound",
            503 => "ServiceUnavailable",
            _ => "InternalError",
        };
        var text = message.Trim() is { Length: > 0 } trimmed
            ? trimmed
            : $"the server responded with the status code {statusCode} but did not return more information";
        return new StatusException(statusCode, reason, text);
    }
}
