using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Auth;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Registry.Authorization;

/// <summary>
/// authorization.k8s.io/v1 LocalSubjectAccessReview: a SubjectAccessReview confined to the namespace it is posted in,
/// so a namespace admin may be allowed to ask it (pkg/registry/authorization/localsubjectaccessreview).
/// </summary>
internal sealed class LocalSubjectAccessReviewResource(IAuthorizer authorizer) : ICreateOnlyResource
{
    public Task<JsonObject> CreateAsync(JsonObject body, string? ns, UserInfo user, CancellationToken cancellationToken) =>
        Task.FromResult(Answer(body, ns, user));

    private JsonObject Answer(JsonObject body, string? ns, UserInfo user)
    {
        var errors = AccessReview.ValidateSpec(body, requireSubject: true);
        AccessReview.ValidateMetadata(body, errors, namespaceAllowed: true);
        var objectNamespace = body.StringAt("metadata", "namespace") ?? "";
        if (body.ObjectAt("spec", "resourceAttributes") is { } resource && (resource.StringAt("namespace") ?? "") != objectNamespace)
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("spec", "resourceAttributes", "namespace"), resource.StringAt("namespace") ?? "", "must match metadata.namespace"));
        }

        if (body.ObjectAt("spec", "nonResourceAttributes") is { } nonResource)
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("spec", "nonResourceAttributes"), AccessReview.NonResourceValue(nonResource), "disallowed on this kind of request"));
        }

        if (errors.Count == 0 && objectNamespace != ns)
        {
            // localsubjectaccessreview/rest.go's text.
            throw StatusException.BadRequest($"spec.resourceAttributes.namespace must match namespace: {ns}");
        }

        return AccessReview.Answer(body, errors, SubjectAccessReviewResource.Subject(body), authorizer);
    }
}
