using Timonel.Controllers.Ingress;

namespace Timonel.Controllers.Tests.Ingress;

public sealed class IngressProxyConfigTests
{
    [Fact]
    public void Build_AnyHostRoutesMayBeHidden_TheDefaultBackendNever()
    {
        var ingress = IngressRulesTests.Ingress("a", DateTime.UnixEpoch, IngressRulesTests.Rule("", "/v1", "Prefix", "web"));
        ingress.Spec.DefaultBackend = new k8s.Models.V1IngressBackend { Service = new k8s.Models.V1IngressServiceBackend { Name = "fallback", Port = new k8s.Models.V1ServiceBackendPort { Number = 80 } } };

        var (routes, _) = IngressProxyConfig.Build(IngressRules.Collect([ingress]), _ => []);

        Assert.Equal("Any", routes[0].Metadata![IngressProxyConfig.HostKindMetadata]);
        Assert.False(routes[1].Metadata!.ContainsKey(IngressProxyConfig.HostKindMetadata));
    }

    [Theory]
    [InlineData("/", "Prefix", "/{**catch-all}")]
    [InlineData("/foo", "Prefix", "/foo/{**catch-all}")]
    [InlineData("/foo/", "Prefix", "/foo/{**catch-all}")]
    [InlineData("/foo", "Exact", "/foo")]
    [InlineData("/a{b}", "Prefix", null)]
    [InlineData("/a?b", "Exact", null)]
    [InlineData("/a//b", "Prefix", null)]
    public void RouteTemplate_PrefixMatchesByPathElement_UnsayablePathsSkipped(string path, string type, string? expected)
    {
        var rule = IngressRules.Collect([IngressRulesTests.Ingress("a", DateTime.UnixEpoch, IngressRulesTests.Rule("", path, type, "web"))]).Single();

        Assert.Equal(expected, IngressProxyConfig.RouteTemplate(rule));
    }

    [Fact]
    public void Build_OrdersRoutesByPrecedence_OneClusterPerServicePort_WildcardsMarked()
    {
        var rules = IngressRules.Collect([IngressRulesTests.Ingress("a", DateTime.UnixEpoch,
            IngressRulesTests.Rule("*.example.com", "/", "Prefix", "web"),
            IngressRulesTests.Rule("www.example.com", "/", "Prefix", "web"))]);

        var (routes, clusters) = IngressProxyConfig.Build(rules, _ => ["http://10.42.0.5:8080"]);

        Assert.Equal([0, 1], routes.Select(r => r.Order));
        Assert.Equal(["www.example.com"], routes[0].Match.Hosts);
        Assert.False(routes[0].Metadata!.ContainsKey(IngressProxyConfig.WildcardHostMetadata));
        Assert.Equal(".example.com", routes[1].Metadata![IngressProxyConfig.WildcardHostMetadata]);
        Assert.Equal("/", routes[0].Metadata![IngressProxyConfig.PathMetadata]);
        Assert.Equal("Prefix", routes[0].Metadata![IngressProxyConfig.PathTypeMetadata]);
        Assert.False(routes[0].Metadata!.ContainsKey(IngressProxyConfig.HostKindMetadata));
        Assert.Equal("Wildcard", routes[1].Metadata![IngressProxyConfig.HostKindMetadata]);
        var cluster = Assert.Single(clusters);
        Assert.Equal("default/web:8080", cluster.ClusterId);
        Assert.Equal("http://10.42.0.5:8080", Assert.Single(cluster.Destinations!).Value.Address);
    }

    [Theory]
    [InlineData("foo.example.com", true)]
    [InlineData("FOO.Example.com", true)]
    [InlineData("a.foo.example.com", false)]
    [InlineData("example.com", false)]
    [InlineData(".example.com", false)]
    public void WildcardHost_MatchesExactlyOneLabel(string host, bool matches) =>
        Assert.Equal(matches, WildcardHostPolicy.MatchesOneLabel(host, ".example.com"));

    [Theory]
    [InlineData("/v1", "/v1", false, true)]
    [InlineData("/v1/deeper", "/v1", false, true)]
    [InlineData("/V1", "/v1", false, false)]
    [InlineData("/V1/deeper", "/v1", false, false)]
    [InlineData("/Anything", "/", false, true)]
    [InlineData("/foo", "/foo", true, true)]
    [InlineData("/Foo", "/foo", true, false)]
    [InlineData("/foo/", "/foo", true, false)]
    public void CaseSensitivePath_ComparesCase_ExactMeansExactly(string requestPath, string path, bool exact, bool matches) =>
        Assert.Equal(matches, CaseSensitivePathPolicy.Matches(requestPath, path, exact));
}
