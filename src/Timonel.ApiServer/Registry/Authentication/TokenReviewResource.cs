using System.Text.Json.Nodes;
using Timonel.ApiServer.Auth;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Registry.Authentication;

/// <summary>
/// authentication.k8s.io/v1 TokenReview: whether a bearer token authenticates here, and as whom, asked of the same
/// token authenticators requests go through (upstream's pkg/registry/authentication/tokenreview).
/// </summary>
internal sealed class TokenReviewResource(IReadOnlyList<ITokenAuthenticator> authenticators) : ICreateOnlyResource
{
    public async Task<JsonObject> CreateAsync(JsonObject body, string? ns, UserInfo user, CancellationToken cancellationToken)
    {
        var token = body.StringAt("spec", "token");
        if (string.IsNullOrEmpty(token))
        {
            // tokenreview/storage.go's text.
            throw StatusException.BadRequest("token is required for TokenReview in authentication");
        }

        // Every token this server accepts is for one of its own audiences (kube-apiserver's --api-audiences); a review
        // for other audiences only is answered unauthenticated.
        var requested = body.ArrayAt("spec", "audiences")?.Select(a => a?.ToString() ?? "").ToList() ?? [];
        var audiences = requested.Count > 0 ? [.. requested.Intersect(ServiceAccountTokens.ApiAudiences)] : ServiceAccountTokens.ApiAudiences;
        var reviewed = audiences.Count > 0 ? await AuthenticateAsync(token, cancellationToken) : null;

        var status = new JsonObject();
        if (reviewed is not null)
        {
            status["authenticated"] = true;
            status["user"] = UserInfoJson.From(reviewed);
            status["audiences"] = new JsonArray([.. audiences.Select(a => (JsonNode)a)]);
        }
        else
        {
            // status.user is a struct upstream: present, empty, when the token is not known.
            status["user"] = new JsonObject();
        }

        body["status"] = status;
        return body;
    }

    private async Task<UserInfo?> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        foreach (var authenticator in authenticators)
        {
            if (await authenticator.AuthenticateTokenAsync(token, cancellationToken) is { } user)
            {
                return user;
            }
        }

        return null;
    }
}
