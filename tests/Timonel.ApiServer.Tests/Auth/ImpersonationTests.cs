using Microsoft.AspNetCore.Http;
using Timonel.ApiServer.Auth;
using Timonel.ApiServer.Endpoints;

namespace Timonel.ApiServer.Tests.Auth;

public sealed class ImpersonationTests
{
    private static readonly UserInfo _admin = UserInfo.Authenticated("admin", [UserInfo.MastersGroup]);
    private static readonly UserInfo _bob = UserInfo.Authenticated("bob", ["dev"]);
    private static readonly Impersonation _impersonation = new(Timonel.ApiServer.Tests.Auth.Rbac.TestPolicy.DefaultChain());

    public static TheoryData<string, string[]> Users => new()
    {
        { "jane", ["{User  jane    }"] },
        { "system:serviceaccount:default:builder", ["{ServiceAccount default builder    }"] },
        { "system:serviceaccount:kube-system:a.b", ["{ServiceAccount kube-system a.b    }"] },
        // Not NS:NAME with a DNS-label namespace and a DNS-subdomain name: an ordinary user (serviceaccount.SplitUsername).
        { "system:serviceaccount:Default:builder", ["{User  system:serviceaccount:Default:builder    }"] },
        { "system:serviceaccount:default:builder:x", ["{User  system:serviceaccount:default:builder:x    }"] },
        { "system:serviceaccount:default:", ["{User  system:serviceaccount:default:    }"] },
    };

    [Theory]
    [MemberData(nameof(Users))]
    public void Targets_User_UserOrServiceAccount(string user, string[] expected)
    {
        var targets = Impersonation.Targets(Headers((Impersonation.UserHeader, user)));

        Assert.Equal(expected, targets.Select(t => t.ToString()));
    }

    [Fact]
    public void Targets_AllHeaders_UserGroupsExtrasUidInUpstreamOrder()
    {
        var headers = Headers(
            (Impersonation.UidHeader, "u-1"),
            (Impersonation.GroupHeader, "devs"),
            (Impersonation.UserHeader, "jane"),
            (Impersonation.GroupHeader, "ops"),
            ("Impersonate-Extra-Example.com%2FScopes", "view"),
            ("Impersonate-Extra-Example.com%2FScopes", "edit"),
            ("impersonate-extra-bad%zz", "x"));

        var targets = Impersonation.Targets(headers);

        Assert.Equal(
            [
                "{User  jane    }",
                "{Group  devs    }",
                "{Group  ops    }",
                "{UserExtra  view  authentication.k8s.io/v1  example.com/scopes}",
                "{UserExtra  edit  authentication.k8s.io/v1  example.com/scopes}",
                "{UserExtra  x  authentication.k8s.io/v1  bad%zz}",
                "{UID  u-1  authentication.k8s.io/v1  }",
            ],
            targets.Select(t => t.ToString()));
    }

    [Theory]
    [InlineData(Impersonation.GroupHeader, "devs", "requested [{Group  devs    }] without impersonating a user")]
    [InlineData(Impersonation.UidHeader, "x", "requested [{UID  x  authentication.k8s.io/v1  }] without impersonating a user")]
    [InlineData("Impersonate-Extra-Scopes", "view", "requested [{UserExtra  view  authentication.k8s.io/v1  scopes}] without impersonating a user")]
    public void Targets_WithoutUser_BadRequestListingWhatWasAsked(string header, string value, string message)
    {
        var error = Assert.Throws<StatusException>(() => Impersonation.Targets(Headers((Impersonation.UserHeader, ""), (header, value))));

        Assert.Equal((400, "BadRequest", message), (error.Code, error.Reason, error.Message));
    }

    public static TheoryData<string, string[], string[]> ImpersonatedGroups => new()
    {
        { "jane", [], [UserInfo.AuthenticatedGroup] },
        { "jane", ["devs", "ops"], ["devs", "ops", UserInfo.AuthenticatedGroup] },
        { "jane", [UserInfo.AuthenticatedGroup, "devs"], [UserInfo.AuthenticatedGroup, "devs"] },
        { "jane", ["system:unauthenticated"], ["system:unauthenticated"] },
        { "system:serviceaccount:default:builder", [], ["system:serviceaccounts", "system:serviceaccounts:default", UserInfo.AuthenticatedGroup] },
        { "system:serviceaccount:default:builder", ["devs"], ["devs", UserInfo.AuthenticatedGroup] },
        { "system:anonymous", [], ["system:unauthenticated"] },
    };

    [Theory]
    [MemberData(nameof(ImpersonatedGroups))]
    public void ActAs_Admin_ImpersonatedUserWithGroupsAsUpstream(string user, string[] groups, string[] expected)
    {
        var headers = Headers([(Impersonation.UserHeader, user), .. groups.Select(g => (Impersonation.GroupHeader, g))]);

        var actingAs = _impersonation.ActAs(_admin, headers);

        Assert.Equal(user, actingAs.Name);
        Assert.Equal(expected, actingAs.Groups);
        Assert.Equal("", actingAs.Uid);
    }

    [Fact]
    public void ActAs_UidAndExtras_CarriedAndHeadersRemoved()
    {
        var headers = Headers(
            ("Authorization", "Bearer t"),
            (Impersonation.UserHeader, "jane"),
            (Impersonation.UidHeader, "u-1"),
            ("Impersonate-Extra-Scopes", "view"),
            ("Impersonate-Extra-Scopes", "edit"),
            ("Impersonate-Something-Else", "x"));

        var actingAs = _impersonation.ActAs(_admin, headers);

        Assert.Equal("u-1", actingAs.Uid);
        Assert.Equal(["view", "edit"], actingAs.Extra["scopes"]);
        Assert.Equal(["Authorization"], headers.Keys);
    }

    [Fact]
    public void ActAs_NoImpersonationHeaders_TheRequester()
    {
        var headers = Headers(("Authorization", "Bearer t"));

        Assert.Same(_bob, _impersonation.ActAs(_bob, headers));
    }

    public static TheoryData<(string Header, string Value), string, string, string, string> Refusals => new()
    {
        { (Impersonation.UserHeader, "john"), "users \"john\" is forbidden: User \"bob\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope", "john", "", "users" },
        { (Impersonation.UserHeader, "system:serviceaccount:default:builder"), "serviceaccounts \"builder\" is forbidden: User \"bob\" cannot impersonate resource \"serviceaccounts\" in API group \"\" in the namespace \"default\"", "builder", "", "serviceaccounts" },
        { (Impersonation.GroupHeader, "devs"), "groups \"devs\" is forbidden: User \"bob\" cannot impersonate resource \"groups\" in API group \"\" at the cluster scope", "devs", "", "groups" },
        { (Impersonation.UidHeader, "u-1"), "uids.authentication.k8s.io \"u-1\" is forbidden: User \"bob\" cannot impersonate resource \"uids\" in API group \"authentication.k8s.io\" at the cluster scope", "u-1", "authentication.k8s.io", "uids" },
        { ("Impersonate-Extra-Scopes", "view"), "userextras.authentication.k8s.io \"view\" is forbidden: User \"bob\" cannot impersonate resource \"userextras/scopes\" in API group \"authentication.k8s.io\" at the cluster scope", "view", "authentication.k8s.io", "userextras" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void ActAs_NotAllowedToImpersonate_ForbiddenNamingTheTarget((string Header, string Value) asked, string message, string name, string group, string kind)
    {
        // Bob may impersonate the user jane (and nothing else), so each other target is the one refused.
        var impersonation = new Impersonation(new AllowOnly(new RequestAttributes("impersonate", "", "users", null, null, "jane", "")));
        var headers = asked.Header == Impersonation.UserHeader ? Headers(asked) : Headers((Impersonation.UserHeader, "jane"), asked);

        var error = Assert.Throws<StatusException>(() => impersonation.ActAs(_bob, headers));

        Assert.Equal((403, "Forbidden", message), (error.Code, error.Reason, error.Message));
        Assert.Equal((name, group, kind), (error.Name, error.Group, error.Kind));
    }

    [Fact]
    public void ActAs_NonAdminUnderTheDefaultPolicy_Forbidden()
    {
        var error = Assert.Throws<StatusException>(() => _impersonation.ActAs(_bob, Headers((Impersonation.UserHeader, "jane"))));

        Assert.Equal("users \"jane\" is forbidden: User \"bob\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope", error.Message);
    }

    [Fact]
    public void ActAs_AuthorizerDeniesWithAReason_ReasonAppendedAndRequesterEscaped()
    {
        var impersonation = new Impersonation(new FixedAuthorizer(new AuthorizationDecision(AuthorizationOutcome.Deny, "no <impersonation> here")));
        var requester = UserInfo.Authenticated("<bob>", []);

        var error = Assert.Throws<StatusException>(() => impersonation.ActAs(requester, Headers((Impersonation.UserHeader, "jane"))));

        // responsewriters.Forbidden escapes its own text, not the authorizer's reason.
        Assert.Equal("users \"jane\" is forbidden: User \"&lt;bob&gt;\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope: no <impersonation> here", error.Message);
    }

    private static HeaderDictionary Headers(params (string Name, string Value)[] headers)
    {
        var dictionary = new HeaderDictionary();
        foreach (var (name, value) in headers)
        {
            dictionary.Append(name, value);
        }

        return dictionary;
    }

    private sealed class AllowOnly(RequestAttributes allowed) : IAuthorizer
    {
        public AuthorizationDecision Authorize(UserInfo user, RequestAttributes request) =>
            request == allowed ? AuthorizationDecision.Allow : AuthorizationDecision.NoOpinion;
    }
}
