using System.Text.Json.Nodes;
using Timonel.ApiServer.Auth;

namespace Timonel.ApiServer.Registry.Authentication;

/// <summary>
/// authentication.k8s.io/v1 SelfSubjectReview (<c>kubectl auth whoami</c>): who the server takes the caller for. As
/// upstream's pkg/registry/authentication/selfsubjectreview, the answer is a new object stamped with the time, whatever
/// was posted.
/// </summary>
internal sealed class SelfSubjectReviewResource(TimeProvider time) : ICreateOnlyResource
{
    public Task<JsonObject> CreateAsync(JsonObject body, string? ns, UserInfo user, CancellationToken cancellationToken) =>
        Task.FromResult(Answer(body, ns, user));

    private JsonObject Answer(JsonObject body, string? ns, UserInfo user) => new()
    {
        ["kind"] = body["kind"]?.DeepClone(),
        ["apiVersion"] = body["apiVersion"]?.DeepClone(),
        ["metadata"] = new JsonObject { ["creationTimestamp"] = ObjectMetadata.FormatTimestamp(time.GetUtcNow()) },
        ["status"] = new JsonObject { ["userInfo"] = UserInfoJson.From(user) },
    };
}
