using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Timonel.ApiServer.Auth;
using Timonel.ApiServer.Endpoints;

namespace Timonel.ApiServer.Encryption;

/// <summary>
/// What <c>timonel secrets-encrypt</c> talks to, after K3s' supervisor endpoints (/v1-k3s/encrypt/status and
/// /v1-k3s/encrypt/config): <c>GET /v1-timonel/encrypt/status</c> and <c>PUT /v1-timonel/encrypt/config</c> with
/// <c>{"stage":"prepare|rotate|reencrypt","force":false}</c>. Outside the Kubernetes API (no RBAC rule names it), so
/// only a client certificate of system:masters (the data dir's admin kubeconfig) may call them.
/// </summary>
public sealed class SecretsEncryptionEndpoints(SecretsEncryption encryption, IAuthenticator clientCertificates)
{
    public const string Prefix = "/v1-timonel/encrypt";

    // camelCase fields, as the CLI reads them.
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);

    public static bool Handles(HttpContext context) => context.Request.Path.StartsWithSegments(Prefix, StringComparison.Ordinal);

    public async Task HandleAsync(HttpContext context)
    {
        try
        {
            var user = await clientCertificates.AuthenticateAsync(context) ?? throw StatusException.Unauthorized();
            if (!user.Groups.Contains(UserInfo.MastersGroup))
            {
                throw new StatusException(403, "Forbidden", $"forbidden: User \"{user.Name}\" cannot manage secrets encryption: only system:masters may");
            }

            var path = context.Request.Path.Value![Prefix.Length..];
            var method = context.Request.Method;
            var status = (path, method) switch
            {
                ("/status", "GET") => encryption.Status(),
                ("/config", "PUT") => await ApplyAsync(context),
                ("/status" or "/config", _) => throw StatusException.RouteMethodNotAllowed(),
                _ => throw StatusException.NotFound("", "encrypt", path.TrimStart('/')),
            };
            await JsonResponse.WriteAsync(context, JsonSerializer.SerializeToNode(status, _json)!, 200);
        }
        catch (StatusException ex)
        {
            await JsonResponse.WriteStatusAsync(context, ex);
        }
    }

    private async Task<EncryptionStatus> ApplyAsync(HttpContext context)
    {
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException ex)
        {
            throw StatusException.BadRequest(ex.Message);
        }

        var stage = body?["stage"]?.ToString() ?? "";
        var force = body?["force"]?.GetValue<bool>() ?? false;
        try
        {
            return await encryption.ApplyAsync(stage, force, context.RequestAborted);
        }
        catch (InvalidOperationException ex)
        {
            throw StatusException.BadRequest(ex.Message);
        }
    }
}
