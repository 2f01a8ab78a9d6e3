namespace Timonel.ApiServer.Auth;

/// <summary>
/// The server's authorizers asked in order (upstream's union authorizer): the first Allow or Deny decides; when all
/// have no opinion the request is not allowed, with their reasons joined. Rules are listed from every authorizer that
/// can list them; one that cannot makes the answer incomplete.
/// </summary>
public sealed class AuthorizerChain : IAuthorizer, IRuleResolver
{
    private readonly IReadOnlyList<IAuthorizer> _authorizers;

    public AuthorizerChain(IReadOnlyList<IAuthorizer> authorizers) => _authorizers = authorizers;

    public AuthorizationDecision Authorize(UserInfo user, RequestAttributes request)
    {
        var reasons = new List<string>();
        foreach (var authorizer in _authorizers)
        {
            var decision = authorizer.Authorize(user, request);
            if (decision.Outcome != AuthorizationOutcome.NoOpinion)
            {
                return decision;
            }

            if (decision.Reason.Length > 0)
            {
                reasons.Add(decision.Reason);
            }
        }

        // union.go joins the reasons of the authorizers without an opinion with newlines.
        return reasons.Count == 0 ? AuthorizationDecision.NoOpinion : new AuthorizationDecision(AuthorizationOutcome.NoOpinion, string.Join('\n', reasons));
    }

    public SubjectRules RulesFor(UserInfo user, string ns)
    {
        var resourceRules = new List<ResourceRule>();
        var nonResourceRules = new List<NonResourceRule>();
        var incomplete = false;
        foreach (var authorizer in _authorizers)
        {
            if (authorizer is not IRuleResolver resolver)
            {
                incomplete = true;
                continue;
            }

            var rules = resolver.RulesFor(user, ns);
            resourceRules.AddRange(rules.ResourceRules);
            nonResourceRules.AddRange(rules.NonResourceRules);
            incomplete |= rules.Incomplete;
        }

        return new SubjectRules(resourceRules, nonResourceRules, incomplete);
    }
}
