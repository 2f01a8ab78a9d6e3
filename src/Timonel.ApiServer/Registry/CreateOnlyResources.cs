using Timonel.ApiServer.Auth;
using Timonel.ApiServer.Registry.Authentication;
using Timonel.ApiServer.Registry.Authorization;

namespace Timonel.ApiServer.Registry;

/// <summary>The behaviour of each built-in create-only kind, by group and URL name, over the server's authenticators and authorizers.</summary>
public sealed class CreateOnlyResources
{
    private readonly Dictionary<(string Group, string Plural), ICreateOnlyResource> _resources;

    /// <param name="stores">The stored resources, for a create-only kind that writes one (bindings set a pod's node); null: those kinds are not served.</param>
    public CreateOnlyResources(AuthorizerChain authorizer, IReadOnlyList<ITokenAuthenticator> tokenAuthenticators, TimeProvider time, StoreRegistry? stores = null)
    {
        _resources = new()
        {
            [("authentication.k8s.io", "selfsubjectreviews")] = new SelfSubjectReviewResource(time),
            [("authentication.k8s.io", "tokenreviews")] = new TokenReviewResource(tokenAuthenticators),
            [("authorization.k8s.io", "subjectaccessreviews")] = new SubjectAccessReviewResource(authorizer),
            [("authorization.k8s.io", "localsubjectaccessreviews")] = new LocalSubjectAccessReviewResource(authorizer),
            [("authorization.k8s.io", "selfsubjectaccessreviews")] = new SelfSubjectAccessReviewResource(authorizer),
            [("authorization.k8s.io", "selfsubjectrulesreviews")] = new SelfSubjectRulesReviewResource(authorizer),
        };
        if (stores is not null)
        {
            _resources[("", "bindings")] = new Endpoints.Subresources.BindingResource(stores, time);
        }
    }

    /// <summary>The behaviour of the kind, or null when the server has none for it.</summary>
    public ICreateOnlyResource? For(ResourceDefinition definition) => _resources.GetValueOrDefault((definition.Group, definition.Plural));
}
