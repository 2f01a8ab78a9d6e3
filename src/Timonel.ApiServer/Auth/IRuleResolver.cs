namespace Timonel.ApiServer.Auth;

/// <summary>Lists what a user may do (authorizer.RuleResolver), for SelfSubjectRulesReview and <c>kubectl auth can-i --list</c>.</summary>
public interface IRuleResolver
{
    /// <summary>The rules this authorizer grants <paramref name="user"/> in <paramref name="ns"/> (cluster-wide rules included).</summary>
    SubjectRules RulesFor(UserInfo user, string ns);
}
