using System.Text.Json.Nodes;
using Timonel.ApiServer.Auth;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Registry.Authorization;

/// <summary>
/// authorization.k8s.io/v1 SubjectAccessReview: may the user and groups in spec do what spec describes, anywhere
/// (pkg/registry/authorization/subjectaccessreview).
/// </summary>
internal sealed class SubjectAccessReviewResource(IAuthorizer authorizer) : ICreateOnlyResource
{
    public Task<JsonObject> CreateAsync(JsonObject body, string? ns, UserInfo user, CancellationToken cancellationToken) =>
        Task.FromResult(Answer(body, ns, user));

    private JsonObject Answer(JsonObject body, string? ns, UserInfo user)
    {
        var errors = AccessReview.ValidateSpec(body, requireSubject: true);
        AccessReview.ValidateMetadata(body, errors, namespaceAllowed: false);
        return AccessReview.Answer(body, errors, Subject(body), authorizer);
    }

    /// <summary>The subject named in spec (AuthorizationAttributesFrom): user, groups, uid and extra as given, nothing added.</summary>
    public static UserInfo Subject(JsonObject body)
    {
        var groups = body.ArrayAt("spec", "groups")?.Select(g => g?.ToString() ?? "").ToList() ?? [];
        var extra = body.ObjectAt("spec", "extra")?.ToDictionary(
            e => e.Key,
            e => (IReadOnlyList<string>)((e.Value as JsonArray)?.Select(v => v?.ToString() ?? "").ToList() ?? []),
            StringComparer.Ordinal) ?? [];
        return new UserInfo(body.StringAt("spec", "user") ?? "", groups) { Uid = body.StringAt("spec", "uid") ?? "", Extra = extra };
    }
}
