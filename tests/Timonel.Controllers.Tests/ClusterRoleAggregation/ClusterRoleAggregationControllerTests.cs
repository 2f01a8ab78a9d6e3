using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.Controllers.ClusterRoleAggregation;
using Timonel.Testing.Api;
using Timonel.Testing.Informers;

namespace Timonel.Controllers.Tests.ClusterRoleAggregation;

public sealed class ClusterRoleAggregationControllerTests : IDisposable
{
    private readonly FakeApiServer _api = new();
    private readonly TestInformer<V1ClusterRole> _roles = new();
    private readonly ClusterRoleAggregationController _controller;

    public ClusterRoleAggregationControllerTests() =>
        _controller = new(_api.Client, _roles.Informer, new FakeTimeProvider(), NullLogger<ClusterRoleAggregationController>.Instance);

    public void Dispose()
    {
        _controller.Dispose();
        _api.Dispose();
    }

    [Fact]
    public async Task SyncAsync_SelectedRoles_UnionOfTheirRulesWrittenOnce()
    {
        _roles.Add(Aggregated("view", "aggregate-to-view"));
        _roles.Add(Role("b-widgets", "aggregate-to-view", Rule("get", "widgets"), Rule("list", "pods")));
        _roles.Add(Role("a-pods", "aggregate-to-view", Rule("list", "pods")));
        _roles.Add(Role("other", "aggregate-to-edit", Rule("delete", "pods")));

        await _controller.SyncAsync("view", CancellationToken.None);

        Assert.Equal(["PUT /apis/rbac.authorization.k8s.io/v1/clusterroles/view"], _api.Calls);
        var written = _api.Requests[0].BodyAs<V1ClusterRole>();
        Assert.Equal(["list pods", "get widgets"], written.Rules.Select(r => $"{r.Verbs[0]} {r.Resources[0]}"));
    }

    [Fact]
    public async Task SyncAsync_RulesAlreadyAggregated_CallsNothing()
    {
        var view = Aggregated("view", "aggregate-to-view");
        view.Rules = [Rule("list", "pods")];
        _roles.Add(view);
        _roles.Add(Role("a-pods", "aggregate-to-view", Rule("list", "pods")));

        await _controller.SyncAsync("view", CancellationToken.None);

        Assert.Empty(_api.Calls);
    }

    [Fact]
    public async Task SyncAsync_RoleWithoutAggregationRule_CallsNothing()
    {
        _roles.Add(Role("plain", "aggregate-to-view", Rule("list", "pods")));

        await _controller.SyncAsync("plain", CancellationToken.None);

        Assert.Empty(_api.Calls);
    }

    private static V1PolicyRule Rule(string verb, string resource) => new() { Verbs = [verb], ApiGroups = [""], Resources = [resource] };

    private static V1ClusterRole Role(string name, string label, params V1PolicyRule[] rules) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, ResourceVersion = "1", Labels = new Dictionary<string, string> { [label] = "true" } },
        Rules = rules,
    };

    private static V1ClusterRole Aggregated(string name, string label) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, ResourceVersion = "1" },
        AggregationRule = new V1AggregationRule { ClusterRoleSelectors = [new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [label] = "true" } }] },
    };
}
