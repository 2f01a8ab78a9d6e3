using System.Text.Json.Nodes;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Tests.Registry.Apps;

public sealed class WorkloadColumnsTests
{
    private static readonly TableContext _context = new(StoreSteps.Created.AddMinutes(3));

    [Fact]
    public void Columns_Deployment_AsKubectlGetDeployWide()
    {
        var deployment = StoreSteps.Create("apps", Examples.Load("03-deployment.yaml", "Deployment"));
        deployment["status"] = JsonNode.Parse("{\"readyReplicas\":1,\"updatedReplicas\":2,\"availableReplicas\":1}");

        var strategy = StoreSteps.For("apps", "Deployment");

        Assert.Equal(["Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images", "Selector"], strategy.Columns.Select(c => c.Name));
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1], strategy.Columns.Select(c => c.Priority));
        Assert.Equal(["nginx-deployment", "1/2", "2", "1", "3m", "nginx", "nginx:alpine", "app=nginx"], strategy.Columns.Select(c => c.Cell(deployment, _context)?.ToString()));
    }

    [Fact]
    public void Columns_StatefulSet_ShowReadyOverDesired()
    {
        var sts = StoreSteps.Create("apps", Examples.Load("05-statefulset.yaml", "StatefulSet"));

        Assert.Equal(["my-csi-app-set", "0/1", "3m", "my-frontend", "busybox"], StoreSteps.For("apps", "StatefulSet").Columns.Select(c => c.Cell(sts, _context)?.ToString()));
    }

    [Fact]
    public void Columns_DaemonSet_ShowCountsAndNodeSelector()
    {
        var ds = StoreSteps.Create("apps", Examples.Load("04-daemonset.yaml", "DaemonSet"));
        ds["status"] = JsonNode.Parse("{\"desiredNumberScheduled\":2,\"currentNumberScheduled\":2,\"numberReady\":1}");

        Assert.Equal(["nginx-deployment", "2", "2", "1", "0", "0", "<none>", "3m"], StoreSteps.For("apps", "DaemonSet").Columns.Take(8).Select(c => c.Cell(ds, _context)?.ToString()));
    }

    [Fact]
    public void Columns_ControllerRevision_NameTheOwnerWithGroup()
    {
        var revision = JsonNode.Parse("""
            {"metadata":{"name":"web-7d4b","creationTimestamp":"2026-01-02T03:04:05Z",
              "ownerReferences":[{"apiVersion":"apps/v1","kind":"StatefulSet","name":"web","controller":true}]},
             "revision":2}
            """)!.AsObject();

        Assert.Equal(["web-7d4b", "statefulset.apps/web", "2", "3m"], StoreSteps.For("apps", "ControllerRevision").Columns.Select(c => c.Cell(revision, _context)?.ToString()));
    }
}
