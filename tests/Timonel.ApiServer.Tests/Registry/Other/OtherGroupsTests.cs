using System.Text.Json.Nodes;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Tests.Registry.Other;

public sealed class OtherGroupsTests
{
    private static readonly TableContext _context = new(StoreSteps.Created.AddSeconds(50));

    [Fact]
    public void Cells_ExampleIngress_ShowClassHostsAddressPorts()
    {
        var ingress = StoreSteps.Create("networking.k8s.io", Examples.Load("09-ingress.yaml", "Ingress"));

        Assert.Equal("{\"loadBalancer\":{}}", JsonPath.Json(ingress, "status"));
        Assert.Equal(["hello-app", "<none>", "*", "", "80", "50s"], Cells("networking.k8s.io", "Ingress", ingress));
    }

    [Fact]
    public void Cells_IngressWithHostsAndTls_AsKubectlShows()
    {
        var ingress = JsonNode.Parse("""
            {"metadata":{"name":"web"},
             "spec":{"ingressClassName":"traefik","tls":[{"hosts":["a.example.com"]}],
               "rules":[{"host":"a.example.com"},{"host":"b.example.com"},{},{"host":"c.example.com"},{"host":"d.example.com"}]},
             "status":{"loadBalancer":{"ingress":[{"ip":"192.168.1.5"}]}}}
            """)!.AsObject();

        Assert.Equal(["web", "traefik", "a.example.com,b.example.com,c.example.com + 2 more...", "192.168.1.5", "80, 443"], Cells("networking.k8s.io", "Ingress", ingress).Take(5));
    }

    [Fact]
    public void Create_StorageClass_DefaultsAndDefaultMarker()
    {
        var sc = StoreSteps.Create("storage.k8s.io", Examples.Parse("""
            kind: StorageClass
            metadata: {name: local-path, annotations: {storageclass.kubernetes.io/is-default-class: "true"}}
            provisioner: rancher.io/local-path
            """), ns: null);

        Assert.Equal(["local-path (default)", "rancher.io/local-path", "Delete", "Immediate", "false", "50s"], Cells("storage.k8s.io", "StorageClass", sc));
    }

    [Fact]
    public void Create_RoleBinding_DefaultsApiGroupsAndPrintsSubjects()
    {
        var binding = StoreSteps.Create("rbac.authorization.k8s.io", Examples.Parse("""
            kind: RoleBinding
            metadata: {name: read}
            roleRef: {kind: ClusterRole, name: view}
            subjects:
            - {kind: User, name: jane}
            - {kind: ServiceAccount, name: builder, namespace: ci}
            - {kind: Group, name: devs}
            """));

        Assert.Equal("\"rbac.authorization.k8s.io\"", JsonPath.Json(binding, "roleRef/apiGroup"));
        Assert.Equal("\"rbac.authorization.k8s.io\"", JsonPath.Json(binding, "subjects/0/apiGroup"));
        Assert.Equal("missing", JsonPath.Json(binding, "subjects/1/apiGroup"));
        Assert.Equal(["read", "ClusterRole/view", "50s", "jane", "devs", "ci/builder"], Cells("rbac.authorization.k8s.io", "RoleBinding", binding));
    }

    [Fact]
    public void Create_EndpointSlice_DefaultsPortsAndPrintsThem()
    {
        var slice = StoreSteps.Create("discovery.k8s.io", Examples.Parse("""
            kind: EndpointSlice
            metadata: {name: web-abc}
            addressType: IPv4
            ports: [{port: 80}]
            endpoints: [{addresses: [10.42.0.1]}, {addresses: [10.42.0.2]}]
            """));

        Assert.Equal("{\"port\":80,\"name\":\"\",\"protocol\":\"TCP\"}", JsonPath.Json(slice, "ports/0"));
        Assert.Equal(["web-abc", "IPv4", "80", "10.42.0.1,10.42.0.2", "50s"], Cells("discovery.k8s.io", "EndpointSlice", slice));
    }

    [Fact]
    public void Cells_Lease_ShowHolder()
    {
        var lease = JsonNode.Parse("{\"metadata\":{\"name\":\"kube-scheduler\"},\"spec\":{\"holderIdentity\":\"server-1_abc\"}}")!.AsObject();

        Assert.Equal(["kube-scheduler", "server-1_abc", "<unknown>"], Cells("coordination.k8s.io", "Lease", lease));
    }

    private static List<string?> Cells(string group, string kind, JsonObject obj) => StoreSteps.Cells(group, kind, obj, _context);
}
