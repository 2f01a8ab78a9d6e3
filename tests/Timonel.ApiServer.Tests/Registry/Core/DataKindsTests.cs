using System.Text.Json.Nodes;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Tests.Registry.Core;

public sealed class DataKindsTests
{
    private static readonly TableContext _context = new(StoreSteps.Created.AddMinutes(90));

    [Fact]
    public void Create_ExampleSecret_KeepsDataAndPrintsTypeAndCount()
    {
        var secret = StoreSteps.Create("", Examples.Load("12-secret.yaml", "Secret"));

        Assert.Equal("missing", JsonPath.Json(secret, "metadata/generation"));
        Assert.Equal(["db-credentials", "Opaque", "2", "90m"], Cells("", "Secret", secret));
        Assert.Equal("Opaque", StoreSteps.For("", "Secret").GetSelectableField(secret, "type"));
    }

    [Fact]
    public void ApplyDefaults_SecretStringData_IsFoldedIntoData()
    {
        var secret = Examples.Parse("kind: Secret\nmetadata: {name: s}\ndata: {a: YQ==}\nstringData: {b: hello}");

        StoreSteps.For("", "Secret").ApplyDefaults(secret);

        Assert.Equal("{\"a\":\"YQ==\",\"b\":\"aGVsbG8=\"}", JsonPath.Json(secret, "data"));
        Assert.Equal("missing", JsonPath.Json(secret, "stringData"));
        Assert.Equal("\"Opaque\"", JsonPath.Json(secret, "type"));
    }

    [Fact]
    public void Cells_ExampleConfigMap_CountDataKeys()
    {
        var configMap = StoreSteps.Create("", Examples.Load("10-configmap.yaml", "ConfigMap"));

        Assert.Equal(["game-demo", "4", "90m"], Cells("", "ConfigMap", configMap));
    }

    [Fact]
    public void Create_Claim_IsPendingFilesystem()
    {
        var claim = StoreSteps.Create("", Examples.Parse("""
            kind: PersistentVolumeClaim
            metadata: {name: data}
            spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}, storageClassName: local-path}
            """));

        Assert.Equal("\"Filesystem\"", JsonPath.Json(claim, "spec/volumeMode"));
        Assert.Equal("{\"phase\":\"Pending\"}", JsonPath.Json(claim, "status"));
        Assert.Equal(["data", "Pending", "", "", "", "local-path", "<unset>", "90m", "Filesystem"], Cells("", "PersistentVolumeClaim", claim));
    }

    [Fact]
    public void Cells_BoundClaim_ShowVolumeCapacityAndModes()
    {
        var claim = JsonNode.Parse("""
            {"metadata":{"name":"data","creationTimestamp":"2026-01-02T03:04:05Z"},
             "spec":{"volumeName":"pv-1","storageClassName":"local-path","volumeMode":"Filesystem"},
             "status":{"phase":"Bound","capacity":{"storage":"5Gi"},"accessModes":["ReadWriteMany","ReadWriteOnce","ReadWriteOnce"]}}
            """)!.AsObject();

        Assert.Equal(["data", "Bound", "pv-1", "5Gi", "RWO,RWX", "local-path", "<unset>", "90m", "Filesystem"], Cells("", "PersistentVolumeClaim", claim));
    }

    [Fact]
    public void Create_Volume_RetainFilesystemPending()
    {
        var volume = StoreSteps.Create("", Examples.Parse("""
            kind: PersistentVolume
            metadata: {name: pv-1}
            spec: {capacity: {storage: 5Gi}, accessModes: [ReadWriteOnce], hostPath: {path: /data}}
            """), ns: null);

        Assert.Equal(["pv-1", "5Gi", "RWO", "Retain", "Pending", "", "", "<unset>", "", "90m", "Filesystem"], Cells("", "PersistentVolume", volume));
    }

    [Theory]
    [InlineData("[{\"type\":\"Ready\",\"status\":\"True\"}]", false, "Ready")]
    [InlineData("[{\"type\":\"Ready\",\"status\":\"False\"}]", true, "NotReady,SchedulingDisabled")]
    [InlineData("[]", false, "Unknown")]
    public void Cells_Node_StatusRolesAndInfo(string conditions, bool unschedulable, string status)
    {
        var node = JsonNode.Parse(
            "{\"metadata\":{\"name\":\"n1\",\"creationTimestamp\":\"2026-01-02T03:04:05Z\"," +
            "\"labels\":{\"node-role.kubernetes.io/control-plane\":\"\",\"node-role.kubernetes.io/master\":\"true\",\"kubernetes.io/role\":\"edge\"}}," +
            "\"spec\":{\"unschedulable\":" + (unschedulable ? "true" : "false") + "}," +
            "\"status\":{\"conditions\":" + conditions + ",\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"192.168.1.5\"}]," +
            "\"nodeInfo\":{\"kubeletVersion\":\"v1.32.0\",\"osImage\":\"Debian GNU/Linux 12 (bookworm)\"}}}")!.AsObject();

        Assert.Equal(["n1", status, "control-plane,edge,master", "90m", "v1.32.0", "192.168.1.5", "<none>", "Debian GNU/Linux 12 (bookworm)", "<unknown>", "<unknown>"], Cells("", "Node", node));
        Assert.Equal(unschedulable ? "true" : "false", StoreSteps.For("", "Node").GetSelectableField(node, "spec.unschedulable"));
    }

    [Fact]
    public void Cells_Event_AsKubectlGetEventsWide()
    {
        var ev = JsonNode.Parse("""
            {"metadata":{"name":"nginx.17a","namespace":"default"},
             "involvedObject":{"kind":"Pod","name":"nginx","namespace":"default","fieldPath":"spec.containers{nginx}"},
             "reason":"Pulled","message":"Container image already present \n","type":"Normal",
             "source":{"component":"kubelet","host":"n1"},
             "firstTimestamp":"2026-01-02T04:00:05Z","lastTimestamp":"2026-01-02T04:30:05Z","count":3}
            """)!.AsObject();

        Assert.Equal(["4m", "Normal", "Pulled", "pod/nginx", "spec.containers{nginx}", "kubelet, n1", "Container image already present", "34m", "3", "nginx.17a"], Cells("", "Event", ev));
    }

    // Upstream prints both APIs' events with one printer (printEvent on the internal Event).
    [Fact]
    public void Cells_EventsApiEvent_SameAsTheCoreEvent()
    {
        var core = JsonNode.Parse("""
            {"metadata":{"name":"web.17b","namespace":"default"},
             "involvedObject":{"kind":"Pod","name":"web","fieldPath":"spec.containers{web}"},
             "reason":"BackOff","message":"Back-off restarting failed container","type":"Warning",
             "source":{"component":"kubelet","host":"n1"},"reportingComponent":"kubelet","reportingInstance":"n1",
             "eventTime":"2026-01-02T04:00:05.000000Z","series":{"count":4,"lastObservedTime":"2026-01-02T04:30:05.000000Z"}}
            """)!.AsObject();
        var eventsApi = Timonel.ApiServer.Registry.Core.EventVersionConverter.Instance.FromStorage(core);

        Assert.Equal(["4m", "Warning", "BackOff", "pod/web", "spec.containers{web}", "kubelet, n1", "Back-off restarting failed container", "34m", "4", "web.17b"], Cells("", "Event", core));
        Assert.Equal(Cells("", "Event", core), Cells("events.k8s.io", "Event", eventsApi));
    }

    // Each API selects under its own names (AddFieldLabelConversionsForEvent in core/v1 and events/v1).
    [Theory]
    [InlineData("", "involvedObject.kind", "Pod")]
    [InlineData("", "involvedObject.name", "nginx")]
    [InlineData("", "involvedObject.uid", "")]
    [InlineData("", "reportingComponent", "default-scheduler")]
    [InlineData("", "regarding.name", null)]
    [InlineData("", "reportingController", null)]
    [InlineData("events.k8s.io", "regarding.kind", "Pod")]
    [InlineData("events.k8s.io", "regarding.name", "nginx")]
    [InlineData("events.k8s.io", "regarding.uid", "")]
    [InlineData("events.k8s.io", "reportingController", "default-scheduler")]
    [InlineData("events.k8s.io", "involvedObject.name", null)]
    [InlineData("events.k8s.io", "reportingComponent", null)]
    [InlineData("", "reason", "Scheduled")]
    [InlineData("events.k8s.io", "reason", "Scheduled")]
    [InlineData("", "source", "default-scheduler")]
    [InlineData("events.k8s.io", "source", "default-scheduler")]
    [InlineData("", "type", "Normal")]
    [InlineData("events.k8s.io", "type", "Normal")]
    [InlineData("", "message", null)]
    [InlineData("events.k8s.io", "note", null)]
    public void GetSelectableField_EachEventsApi_ItsOwnFieldNames(string group, string field, string? expected)
    {
        var ev = group.Length == 0
            ? JsonNode.Parse("{\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"nginx\"},\"reason\":\"Scheduled\",\"type\":\"Normal\",\"reportingComponent\":\"default-scheduler\"}")!.AsObject()
            : JsonNode.Parse("{\"regarding\":{\"kind\":\"Pod\",\"name\":\"nginx\"},\"reason\":\"Scheduled\",\"type\":\"Normal\",\"reportingController\":\"default-scheduler\"}")!.AsObject();

        Assert.Equal(expected, StoreSteps.For(group, "Event").GetSelectableField(ev, field));
    }

    [Fact]
    public void Cells_Endpoints_ListThreeThenMore()
    {
        var endpoints = JsonNode.Parse("""
            {"metadata":{"name":"web"},"subsets":[{"addresses":[{"ip":"10.42.0.1"},{"ip":"10.42.0.2"}],"ports":[{"port":80},{"port":443}]}]}
            """)!.AsObject();

        Assert.Equal("10.42.0.1:80,10.42.0.2:80,10.42.0.1:443 + 1 more...", Cells("", "Endpoints", endpoints)[1]);
    }

    [Fact]
    public void Columns_KindWithoutPrinter_AreNameAndCreatedAt()
    {
        var role = JsonNode.Parse("{\"metadata\":{\"name\":\"reader\",\"creationTimestamp\":\"2026-01-02T03:04:05Z\"}}")!.AsObject();

        var strategy = StoreSteps.For("rbac.authorization.k8s.io", "Role");

        Assert.Equal(["Name", "Created At"], strategy.Columns.Select(c => c.Name));
        Assert.Equal(["reader", "2026-01-02T03:04:05Z"], strategy.Columns.Select(c => c.Cell(role, _context)?.ToString()));
    }

    private static List<string?> Cells(string group, string kind, JsonObject obj) => StoreSteps.Cells(group, kind, obj, _context);
}
