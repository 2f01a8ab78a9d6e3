using k8s.Models;
using Timonel.Controllers.Ingress;

namespace Timonel.Controllers.Tests.Ingress;

public sealed class IngressRulesTests
{
    [Fact]
    public void Collect_ExactHostBeforeWildcardBeforeAnyHost()
    {
        var rules = IngressRules.Collect([
            Ingress("a", DateTime.UnixEpoch, Rule("", "/", "Prefix", "any"), Rule("*.example.com", "/", "Prefix", "wild"), Rule("foo.example.com", "/", "Prefix", "exact")),
        ]);

        Assert.Equal(["exact", "wild", "any"], rules.Select(r => r.Backend.Service));
    }

    [Fact]
    public void Collect_ExactPathsFirst_ThenLongestPrefix_DefaultBackendLast()
    {
        var ingress = Ingress("a", DateTime.UnixEpoch, Rule("", "/", "Prefix", "root"), Rule("", "/foo", "Prefix", "foo"), Rule("", "/foo/bar", "ImplementationSpecific", "foobar"), Rule("", "/foo", "Exact", "exact"));
        ingress.Spec.DefaultBackend = new V1IngressBackend { Service = new V1IngressServiceBackend { Name = "fallback", Port = new V1ServiceBackendPort { Number = 80 } } };

        var rules = IngressRules.Collect([ingress]);

        Assert.Equal(["exact", "foobar", "foo", "root", "fallback"], rules.Select(r => r.Backend.Service));
        Assert.True(rules[^1].IsDefaultBackend);
        Assert.Equal("Prefix", rules[1].PathType);
    }

    [Fact]
    public void Collect_SameHostAndPathInTwoIngresses_TheOlderKeepsIt()
    {
        var newer = Ingress("newer", DateTime.UnixEpoch.AddHours(1), Rule("h.test", "/app", "Prefix", "new"));
        var older = Ingress("older", DateTime.UnixEpoch, Rule("h.test", "/app/", "Prefix", "old"));

        var rules = IngressRules.Collect([newer, older]);

        Assert.Equal("old", Assert.Single(rules).Backend.Service);
    }

    [Fact]
    public void BackendsOf_ListsEachServicePortOnce_ByNumberOrName()
    {
        var ingress = Ingress("a", DateTime.UnixEpoch, Rule("", "/a", "Prefix", "web"), Rule("", "/b", "Prefix", "web"));
        ingress.Spec.Rules[0].Http.Paths.Add(new V1HTTPIngressPath { Path = "/c", PathType = "Prefix", Backend = new V1IngressBackend { Service = new V1IngressServiceBackend { Name = "web", Port = new V1ServiceBackendPort { Name = "http" } } } });

        Assert.Equal(["web:8080", "web:http"], IngressRules.BackendsOf(ingress).Select(b => b.ToString()));
    }

    internal static V1Ingress Ingress(string name, DateTime created, params (string Host, V1HTTPIngressPath Path)[] paths) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", CreationTimestamp = created },
        Spec = new V1IngressSpec
        {
            Rules = [.. paths.GroupBy(p => p.Host).Select(g => new V1IngressRule { Host = g.Key.Length == 0 ? null : g.Key, Http = new V1HTTPIngressRuleValue { Paths = [.. g.Select(p => p.Path)] } })],
        },
    };

    internal static (string Host, V1HTTPIngressPath Path) Rule(string host, string path, string pathType, string service) => (host, new V1HTTPIngressPath
    {
        Path = path,
        PathType = pathType,
        Backend = new V1IngressBackend { Service = new V1IngressServiceBackend { Name = service, Port = new V1ServiceBackendPort { Number = 8080 } } },
    });
}
