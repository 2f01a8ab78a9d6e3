namespace Timonel.ApiServer.Auth;

/// <summary>
/// One thing an Impersonate-* header asks to act as: the user (or service account), one group, one value of one extra
/// key, or the UID. Upstream carries each as a v1.ObjectReference (filters/impersonation.go, buildImpersonationRequests),
/// and the requester must be allowed the verb "impersonate" on each.
/// </summary>
public sealed record ImpersonationTarget(ImpersonationKind Kind, string Name, string? Namespace = null, string? ExtraKey = null)
{
    public const string Verb = "impersonate";

    // authenticationv1.SchemeGroupVersion: the group of "uids" and "userextras", and the apiVersion of their references.
    private const string AuthenticationGroup = "authentication.k8s.io";
    private const string AuthenticationVersion = AuthenticationGroup + "/v1";

    /// <summary>What the requester must be authorized for to impersonate this target.</summary>
    public RequestAttributes Attributes => Kind switch
    {
        ImpersonationKind.User => Impersonate("", "users"),
        ImpersonationKind.ServiceAccount => Impersonate("", "serviceaccounts"),
        ImpersonationKind.Group => Impersonate("", "groups"),
        ImpersonationKind.UserExtra => Impersonate(AuthenticationGroup, "userextras"),
        _ => Impersonate(AuthenticationGroup, "uids"),
    };

    /// <summary>
    /// The reference as Go's %v prints a v1.ObjectReference ({Kind Namespace Name UID APIVersion ResourceVersion
    /// FieldPath}), the form upstream's "requested [...] without impersonating a user" lists them in.
    /// </summary>
    public override string ToString()
    {
        var kind = Kind == ImpersonationKind.Uid ? "UID" : Kind.ToString();
        var apiVersion = Kind is ImpersonationKind.UserExtra or ImpersonationKind.Uid ? AuthenticationVersion : "";
        return $"{{{kind} {Namespace} {Name}  {apiVersion}  {ExtraKey}}}";
    }

    // A user extra's key is the subresource of "userextras", so a rule can allow "userextras/scopes" alone.
    private RequestAttributes Impersonate(string group, string resource) =>
        new(Verb, group, resource, ExtraKey, Namespace, Name, "");
}
