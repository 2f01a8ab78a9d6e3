using Microsoft.AspNetCore.Http;
using Timonel.Api.Validation;
using Timonel.ApiServer.Endpoints;

namespace Timonel.ApiServer.Auth;

/// <summary>
/// Acting as another user (<c>kubectl --as</c>, <c>--as-group</c>, <c>--as-uid</c>), as upstream's impersonation filter
/// (k8s.io/apiserver/pkg/endpoints/filters/impersonation.go): after authentication the requester must be allowed the
/// verb "impersonate" on each user, group, UID and extra value the Impersonate-* headers name; the request then runs as
/// the user they describe, and the headers go no further.
/// </summary>
public sealed class Impersonation
{
    // authenticationv1.ImpersonateUserHeader, ImpersonateGroupHeader, ImpersonateUIDHeader, ImpersonateUserExtraHeaderPrefix.
    public const string UserHeader = "Impersonate-User";
    public const string GroupHeader = "Impersonate-Group";
    public const string UidHeader = "Impersonate-Uid";
    public const string ExtraHeaderPrefix = "Impersonate-Extra-";
    private const string HeaderPrefix = "Impersonate-";

    // user.Anonymous and user.AllUnauthenticated; serviceaccount.ServiceAccountUsernamePrefix and AllServiceAccountsGroup.
    private const string AnonymousUser = "system:anonymous";
    private const string UnauthenticatedGroup = "system:unauthenticated";
    private const string ServiceAccountUserPrefix = "system:serviceaccount:";
    private const string ServiceAccountsGroup = "system:serviceaccounts";

    private readonly IAuthorizer _authorizer;

    public Impersonation(IAuthorizer authorizer) => _authorizer = authorizer;

    /// <summary>
    /// The user the request runs as: <paramref name="requester"/> when no Impersonate-* header asks for another,
    /// otherwise the impersonated user. Removes every Impersonate-* header from <paramref name="headers"/>.
    /// Throws a 400 when a group, UID or extra is asked for without a user, and a 403 naming the first target the
    /// requester may not impersonate.
    /// </summary>
    public UserInfo ActAs(UserInfo requester, IHeaderDictionary headers)
    {
        if (!headers.Keys.Any(IsImpersonationHeader))
        {
            return requester;
        }

        var targets = Targets(headers);
        foreach (var target in targets)
        {
            var attributes = target.Attributes;
            var decision = _authorizer.Authorize(requester, attributes);
            if (decision.Outcome != AuthorizationOutcome.Allow)
            {
                throw StatusException.Forbidden(attributes, requester.Name, decision.Reason);
            }
        }

        foreach (var header in headers.Keys.Where(IsImpersonationHeader).ToList())
        {
            headers.Remove(header);
        }

        return targets.Count == 0 ? requester : ImpersonatedUser(targets);
    }

    /// <summary>
    /// What the headers ask to impersonate, in upstream's order: the user (a service account when the name is
    /// system:serviceaccount:NS:NAME), each group, each value of each extra key, the UID.
    /// </summary>
    public static IReadOnlyList<ImpersonationTarget> Targets(IHeaderDictionary headers)
    {
        var targets = new List<ImpersonationTarget>();
        // Go's Header.Get: the first value; an empty one asks for nothing.
        var user = headers[UserHeader].FirstOrDefault() ?? "";
        if (user.Length > 0)
        {
            targets.Add(ServiceAccount(user) ?? new ImpersonationTarget(ImpersonationKind.User, user));
        }

        targets.AddRange(headers[GroupHeader].Select(g => new ImpersonationTarget(ImpersonationKind.Group, g ?? "")));
        foreach (var (header, values) in headers.Where(h => h.Key.StartsWith(ExtraHeaderPrefix, StringComparison.OrdinalIgnoreCase)))
        {
            var key = UnescapeExtraKey(header[ExtraHeaderPrefix.Length..].ToLowerInvariant());
            targets.AddRange(values.Select(v => new ImpersonationTarget(ImpersonationKind.UserExtra, v ?? "", ExtraKey: key)));
        }

        var uid = headers[UidHeader].FirstOrDefault() ?? "";
        if (uid.Length > 0)
        {
            targets.Add(new ImpersonationTarget(ImpersonationKind.Uid, uid));
        }

        if (user.Length == 0 && targets.Count > 0)
        {
            // Upstream answers this with a 500 InternalError; it is the client's mistake, so here a 400 with the same text.
            throw StatusException.BadRequest($"requested [{string.Join(' ', targets)}] without impersonating a user");
        }

        return targets;
    }

    private static bool IsImpersonationHeader(string header) => header.StartsWith(HeaderPrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The namespace and name of a service-account user, or null when the name is not one, checked as
    /// serviceaccount.SplitUsername does: exactly NS:NAME after the prefix, NS a DNS label, NAME a DNS subdomain.
    /// </summary>
    private static ImpersonationTarget? ServiceAccount(string user)
    {
        if (!user.StartsWith(ServiceAccountUserPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = user[ServiceAccountUserPrefix.Length..].Split(':');
        return parts is [var ns, var name] && NameValidation.IsDns1123Label(ns).Count == 0 && NameValidation.IsDns1123Subdomain(name).Count == 0
            ? new ImpersonationTarget(ImpersonationKind.ServiceAccount, name, ns)
            : null;
    }

    /// <summary>
    /// The header's %-encoded key decoded as Go's url.PathUnescape ("+" stays "+"); a malformed escape keeps the key
    /// as sent, as upstream's unescapeExtraKey does.
    /// </summary>
    private static string UnescapeExtraKey(string encoded)
    {
        for (var i = encoded.IndexOf('%', StringComparison.Ordinal); i >= 0; i = encoded.IndexOf('%', i + 1))
        {
            if (i + 2 >= encoded.Length || !Uri.IsHexDigit(encoded[i + 1]) || !Uri.IsHexDigit(encoded[i + 2]))
            {
                return encoded;
            }
        }

        return Uri.UnescapeDataString(encoded);
    }

    /// <summary>
    /// The user the targets describe. Groups are those given; a service account without any gets its fixed groups.
    /// Then system:authenticated is added unless system:authenticated or system:unauthenticated is already there, or,
    /// for system:anonymous, system:unauthenticated unless given.
    /// </summary>
    private static UserInfo ImpersonatedUser(IReadOnlyList<ImpersonationTarget> targets)
    {
        var name = "";
        var uid = "";
        var groups = new List<string>();
        var extra = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var groupsGiven = targets.Any(t => t.Kind == ImpersonationKind.Group);
        foreach (var target in targets)
        {
            switch (target.Kind)
            {
                case ImpersonationKind.User:
                    name = target.Name;
                    break;
                case ImpersonationKind.ServiceAccount:
                    name = $"{ServiceAccountUserPrefix}{target.Namespace}:{target.Name}";
                    if (!groupsGiven)
                    {
                        groups.AddRange([ServiceAccountsGroup, $"{ServiceAccountsGroup}:{target.Namespace}"]);
                    }

                    break;
                case ImpersonationKind.Group:
                    groups.Add(target.Name);
                    break;
                case ImpersonationKind.UserExtra:
                    extra[target.ExtraKey!] = [.. extra.GetValueOrDefault(target.ExtraKey!, []), target.Name];
                    break;
                case ImpersonationKind.Uid:
                    uid = target.Name;
                    break;
            }
        }

        if (name != AnonymousUser)
        {
            if (!groups.Contains(UserInfo.AuthenticatedGroup) && !groups.Contains(UnauthenticatedGroup))
            {
                groups.Add(UserInfo.AuthenticatedGroup);
            }
        }
        else if (!groups.Contains(UnauthenticatedGroup))
        {
            groups.Add(UnauthenticatedGroup);
        }

        return new UserInfo(name, groups) { Uid = uid, Extra = extra };
    }
}
