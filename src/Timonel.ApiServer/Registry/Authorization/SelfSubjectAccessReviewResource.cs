using System.Text.Json.Nodes;
using Timonel.ApiServer.Auth;

namespace Timonel.ApiServer.Registry.Authorization;

/// <summary>
/// authorization.k8s.io/v1 SelfSubjectAccessReview (<c>kubectl auth can-i VERB RESOURCE</c>): may the caller do what
/// spec describes (pkg/registry/authorization/selfsubjectaccessreview).
/// </summary>
internal sealed class SelfSubjectAccessReviewResource(IAuthorizer authorizer) : ICreateOnlyResource
{
    public Task<JsonObject> CreateAsync(JsonObject body, string? ns, UserInfo user, CancellationToken cancellationToken) =>
        Task.FromResult(Answer(body, ns, user));

    private JsonObject Answer(JsonObject body, string? ns, UserInfo user)
    {
        var errors = AccessReview.ValidateSpec(body, requireSubject: false);
        AccessReview.ValidateMetadata(body, errors, namespaceAllowed: false);
        return AccessReview.Answer(body, errors, user, authorizer);
    }
}
