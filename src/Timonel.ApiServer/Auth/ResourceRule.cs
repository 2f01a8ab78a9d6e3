namespace Timonel.ApiServer.Auth;

/// <summary>
/// What a subject may do to resources (rbacv1.PolicyRule's resource half, authorizationv1.ResourceRule on the wire).
/// Empty <see cref="ResourceNames"/> means any name.
/// </summary>
public sealed record ResourceRule(IReadOnlyList<string> Verbs, IReadOnlyList<string> ApiGroups, IReadOnlyList<string> Resources, IReadOnlyList<string> ResourceNames)
{
    /// <summary>Every verb on every resource of every group (cluster-admin's rule).</summary>
    public static ResourceRule All { get; } = new(["*"], ["*"], ["*"], []);

    /// <summary>
    /// Whether the rule covers a resource request, matched as upstream's rbac RuleAllows does: "*" or an equal verb
    /// and group, the resource as "resource/subresource" (or "*", or "*/subresource"), and the name when names are listed.
    /// </summary>
    public bool Allows(RequestAttributes request)
    {
        if (!request.IsResourceRequest)
        {
            return false;
        }

        var combined = string.IsNullOrEmpty(request.Subresource) ? request.Resource : $"{request.Resource}/{request.Subresource}";
        return Matches(Verbs, request.Verb)
            && Matches(ApiGroups, request.Group)
            && Resources.Any(r => r == "*" || r == combined || (!string.IsNullOrEmpty(request.Subresource) && r == "*/" + request.Subresource))
            && (ResourceNames.Count == 0 || ResourceNames.Contains(request.Name ?? ""));
    }

    internal static bool Matches(IReadOnlyList<string> allowed, string value) => allowed.Any(a => a == "*" || a == value);
}
