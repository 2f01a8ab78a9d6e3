namespace Timonel.ApiServer.Auth;

/// <summary>
/// The rules a user holds in a namespace (authorizer.RuleResolver.RulesFor's answer): <see cref="Incomplete"/> when
/// some authorizer could not list its rules, so the list may be shorter than what is allowed.
/// </summary>
public sealed record SubjectRules(IReadOnlyList<ResourceRule> ResourceRules, IReadOnlyList<NonResourceRule> NonResourceRules, bool Incomplete)
{
    public static SubjectRules None { get; } = new([], [], false);
}
