using k8s.Models;
using Timonel.Controllers.Ingress;

namespace Timonel.Controllers.Tests.Ingress;

public sealed class IngressHostOwnersTests
{
    [Theory]
    [InlineData("foo.example.com", IngressHostKind.Exact)]
    [InlineData("FOO.Example.com", IngressHostKind.Exact)]
    [InlineData("bar.example.com", IngressHostKind.Wildcard)]
    [InlineData("a.bar.example.com", IngressHostKind.Any)]
    [InlineData("example.com", IngressHostKind.Any)]
    [InlineData("other.test", IngressHostKind.Any)]
    [InlineData("10.0.0.1", IngressHostKind.Any)]
    public void OwnerOf_TheMostSpecificKindNamingTheHost(string host, IngressHostKind owner)
    {
        var owners = new IngressHostOwners();
        owners.Replace(IngressRules.Collect([IngressRulesTests.Ingress("a", DateTime.UnixEpoch,
            IngressRulesTests.Rule("foo.example.com", "/a", "Prefix", "exact"),
            IngressRulesTests.Rule("*.example.com", "/b", "Prefix", "wild"),
            IngressRulesTests.Rule("", "/c", "Prefix", "any"))]));

        Assert.Equal(owner, owners.OwnerOf(host));
    }

    [Fact]
    public void Replace_ForgetsHostsNoLongerNamed()
    {
        var owners = new IngressHostOwners();
        owners.Replace(IngressRules.Collect([IngressRulesTests.Ingress("a", DateTime.UnixEpoch, IngressRulesTests.Rule("foo.example.com", "/", "Prefix", "web"))]));
        owners.Replace(IngressRules.Collect([IngressRulesTests.Ingress("a", DateTime.UnixEpoch, IngressRulesTests.Rule("", "/", "Prefix", "web"))]));

        Assert.Equal(IngressHostKind.Any, owners.OwnerOf("foo.example.com"));
    }

    [Fact]
    public void DefaultBackend_OwnsNoHost()
    {
        var ingress = IngressRulesTests.Ingress("a", DateTime.UnixEpoch);
        ingress.Spec.DefaultBackend = new V1IngressBackend { Service = new V1IngressServiceBackend { Name = "fallback", Port = new V1ServiceBackendPort { Number = 80 } } };
        var owners = new IngressHostOwners();
        owners.Replace(IngressRules.Collect([ingress]));

        Assert.Equal(IngressHostKind.Any, owners.OwnerOf("anything.test"));
    }
}
