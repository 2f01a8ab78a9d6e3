using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Auth;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Registry.Authorization;

/// <summary>
/// What the three access reviews (SubjectAccessReview, LocalSubjectAccessReview, SelfSubjectAccessReview) share: the
/// checks of pkg/apis/authorization/validation (Kubernetes 1.32), the request their spec describes
/// (pkg/registry/authorization/util), and the verdict written into status.
/// </summary>
internal static class AccessReview
{
    private const string Group = "authorization.k8s.io";

    /// <summary>
    /// ValidateSubjectAccessReviewSpec (<paramref name="requireSubject"/>) or ValidateSelfSubjectAccessReviewSpec:
    /// exactly one of resourceAttributes and nonResourceAttributes, and a user or group to check.
    /// </summary>
    public static FieldErrorList ValidateSpec(JsonObject body, bool requireSubject)
    {
        var spec = FieldPath.Root("spec");
        var resource = body.ObjectAt("spec", "resourceAttributes");
        var nonResource = body.ObjectAt("spec", "nonResourceAttributes");
        var errors = new FieldErrorList();
        if (resource is not null && nonResource is not null)
        {
            errors.Add(FieldError.Invalid(spec.Child("nonResourceAttributes"), NonResourceValue(nonResource), "cannot be specified in combination with resourceAttributes"));
        }

        if (resource is null && nonResource is null)
        {
            // Upstream passes the (nil) nonResourceAttributes as the value, printed "null".
            errors.Add(FieldError.Invalid(spec.Child("resourceAttributes"), null, "exactly one of nonResourceAttributes or resourceAttributes must be specified"));
        }

        var user = body.StringAt("spec", "user") ?? "";
        if (requireSubject && user.Length == 0 && (body.ArrayAt("spec", "groups")?.Count ?? 0) == 0)
        {
            errors.Add(FieldError.Invalid(spec.Child("user"), user, "at least one of user or group must be specified"));
        }

        return errors;
    }

    /// <summary>Upstream's check that the object's metadata is empty (managedFields aside; a namespace too for the local review).</summary>
    public static void ValidateMetadata(JsonObject body, FieldErrorList errors, bool namespaceAllowed)
    {
        var metadata = body.ObjectAt("metadata");
        var set = metadata?.Where(f => f.Key != "managedFields" && !(namespaceAllowed && f.Key == "namespace") && !IsEmpty(f.Value)).ToList() ?? [];
        if (set.Count > 0)
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("metadata"), metadata, namespaceAllowed ? "must be empty except for namespace" : "must be empty"));
        }
    }

    /// <summary>The request the spec describes (ResourceAttributesFrom / NonResourceAttributesFrom).</summary>
    public static RequestAttributes Attributes(JsonObject body)
    {
        if (body.ObjectAt("spec", "resourceAttributes") is { } resource)
        {
            var subresource = resource.StringAt("subresource");
            var ns = resource.StringAt("namespace");
            var name = resource.StringAt("name");
            return new RequestAttributes(
                resource.StringAt("verb") ?? "",
                resource.StringAt("group") ?? "",
                resource.StringAt("resource") ?? "",
                string.IsNullOrEmpty(subresource) ? null : subresource,
                string.IsNullOrEmpty(ns) ? null : ns,
                string.IsNullOrEmpty(name) ? null : name,
                "");
        }

        var nonResource = body.ObjectAt("spec", "nonResourceAttributes");
        return RequestAttributes.NonResource(nonResource.StringAt("verb") ?? "", nonResource.StringAt("path") ?? "");
    }

    /// <summary>Validates, asks the authorizer about <paramref name="subject"/>, and answers the posted object with status set.</summary>
    public static JsonObject Answer(JsonObject body, FieldErrorList errors, UserInfo subject, IAuthorizer authorizer)
    {
        if (errors.Count > 0)
        {
            // apierrors.NewInvalid(authorizationapi.Kind(review.Kind), "", errs): the internal object the REST
            // handler sees has no kind set, so upstream's message reads `.authorization.k8s.io "" is invalid: ...`.
            throw StatusException.Invalid(Group, "", "", errors);
        }

        var decision = authorizer.Authorize(subject, Attributes(body));
        // SubjectAccessReviewStatus: allowed always, denied/reason/evaluationError only when set.
        var status = new JsonObject { ["allowed"] = decision.Outcome == AuthorizationOutcome.Allow };
        if (decision.Outcome == AuthorizationOutcome.Deny)
        {
            status["denied"] = true;
        }

        if (decision.Reason.Length > 0)
        {
            status["reason"] = decision.Reason;
        }

        body["status"] = status;
        return body;
    }

    /// <summary>*authorization.NonResourceAttributes as upstream's error prints it (the dereferenced struct).</summary>
    public static GoValue NonResourceValue(JsonObject nonResource) =>
        GoValue.Struct("authorization.NonResourceAttributes", ("Path", nonResource.StringAt("path") ?? ""), ("Verb", nonResource.StringAt("verb") ?? ""));

    private static bool IsEmpty(JsonNode? value) => value switch
    {
        null => true,
        JsonObject o => o.Count == 0,
        JsonArray a => a.Count == 0,
        _ => value.ToString().Length == 0,
    };
}
