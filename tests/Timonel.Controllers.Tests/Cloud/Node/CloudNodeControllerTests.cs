using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.Controllers.Cloud;
using Timonel.Controllers.Cloud.Local;
using Timonel.Controllers.Cloud.Node;
using Timonel.Testing.Api;
using Timonel.Testing.Informers;
using static Timonel.Controllers.Tests.Cloud.CloudTestObjects;

namespace Timonel.Controllers.Tests.Cloud.Node;

public sealed class CloudNodeControllerTests : IDisposable
{
    private readonly FakeApiServer _api = new();
    private readonly TestInformer<V1Node> _nodes = new();
    private readonly CloudNodeController _controller;

    public CloudNodeControllerTests() =>
        _controller = new(_api.Client, new LocalInstances(), new LocalZones(new CloudZone("zone-a", "region-1")), _nodes.Informer, new FakeTimeProvider(), NullLogger<CloudNodeController>.Instance);

    public void Dispose()
    {
        _controller.Dispose();
        _api.Dispose();
    }

    [Fact]
    public async Task SyncAsync_NewNode_GetsProviderIdInstanceTypeAndZoneLabelsAndLosesTheUninitializedTaint()
    {
        _nodes.Add(NodeObject("node-a", taints: [new V1Taint { Key = CloudNodeController.UninitializedTaint, Effect = "NoSchedule" }, new V1Taint { Key = "dedicated", Value = "x", Effect = "NoSchedule" }]));

        var result = await _controller.SyncAsync("node-a", CancellationToken.None);

        Assert.Equal(["PATCH /api/v1/nodes/node-a"], _api.Calls);
        var patch = JsonNode.Parse(_api.Requests[0].Body!)!;
        Assert.Equal("timonel://node-a", patch["spec"]!["providerID"]!.GetValue<string>());
        Assert.Equal(["dedicated"], patch["spec"]!["taints"]!.AsArray().Select(t => t!["key"]!.GetValue<string>()));
        var labels = patch["metadata"]!["labels"]!.AsObject();
        Assert.Equal(
            [(CloudNodeLabels.InstanceTypeBeta, "timonel"), (CloudNodeLabels.RegionBeta, "region-1"), (CloudNodeLabels.ZoneBeta, "zone-a"), (CloudNodeLabels.InstanceType, "timonel"), (CloudNodeLabels.Region, "region-1"), (CloudNodeLabels.Zone, "zone-a")],
            labels.Select(l => (l.Key, l.Value!.GetValue<string>())).OrderBy(l => l.Key, StringComparer.Ordinal));
        Assert.Equal(CloudNodeController.StatusUpdateFrequency, result.RequeueAfter);
    }

    [Fact]
    public async Task SyncAsync_NodeAlreadyInitialized_WritesNothing()
    {
        _nodes.Add(NodeObject("node-a", providerId: "timonel://node-a", labels: new()
        {
            [CloudNodeLabels.InstanceType] = "timonel",
            [CloudNodeLabels.InstanceTypeBeta] = "timonel",
            [CloudNodeLabels.Zone] = "zone-a",
            [CloudNodeLabels.ZoneBeta] = "zone-a",
            [CloudNodeLabels.Region] = "region-1",
            [CloudNodeLabels.RegionBeta] = "region-1",
        }));

        await _controller.SyncAsync("node-a", CancellationToken.None);

        Assert.Empty(_api.Calls);
    }

    [Fact]
    public async Task SyncAsync_ProviderIdSetByTheKubelet_IsNotReplaced()
    {
        _nodes.Add(NodeObject("node-a", providerId: "kind://docker/node-a"));

        await _controller.SyncAsync("node-a", CancellationToken.None);

        Assert.Null(JsonNode.Parse(_api.Requests.Single().Body!)!["spec"]!["providerID"]);
    }
}
