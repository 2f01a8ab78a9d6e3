using System.Text.Json.Nodes;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.FieldManagement;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Tests.FieldManagement;

public sealed class ServerSideApplyTests : IAsyncLifetime
{
    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 2
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - name: web
                image: nginx:1.27
                ports: [{containerPort: 80}]
              - name: sidecar
                image: busybox
        """;

    // Upstream's bucket for the oldest Update entries past the cap of ten.
    private const string AncientChanges = "ancient-changes";

    private StoreHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await StoreHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private GenericStore Deployments => _harness.Store("apps", "deployments");

    private GenericStore ConfigMaps => _harness.Store("", "configmaps");

    [Fact]
    public async Task ApplyAsync_NewObject_CreatesItOwnedByTheApplierForWhatItSetOnly()
    {
        var created = await ApplyDeploymentAsync(Deployment, "ci");

        Assert.Equal(2, (long)created["spec"]!["replicas"]!);
        var entry = Assert.Single(Entries(created));
        Assert.Equal(("ci", "Apply", "apps/v1"), ((string)entry["manager"]!, (string)entry["operation"]!, (string)entry["apiVersion"]!));
        Assert.Equal("FieldsV1", (string)entry["fieldsType"]!);
        var containers = entry["fieldsV1"]!["f:spec"]!["f:template"]!["f:spec"]!["f:containers"]!;
        var web = containers["k:{\"name\":\"web\"}"]!.AsObject();
        Assert.Equal([".", "f:image", "f:name", "f:ports"], web.Select(f => f.Key));
        // Ports are keyed by port and protocol, TCP when left out (upstream's list-map keys).
        var port = web["f:ports"]!["k:{\"containerPort\":80,\"protocol\":\"TCP\"}"]!.AsObject();
        Assert.Equal([".", "f:containerPort"], port.Select(f => f.Key));
        // The selector is atomic (a LabelSelector); defaults the server added (strategy, imagePullPolicy) are nobody's.
        Assert.Equal("{}", entry["fieldsV1"]!["f:spec"]!["f:selector"]!.ToJsonString());
        Assert.Null(entry["fieldsV1"]!["f:spec"]!["f:strategy"]);
        Assert.Equal("IfNotPresent", (string)created["spec"]!["template"]!["spec"]!["containers"]![0]!["imagePullPolicy"]!);
    }

    [Fact]
    public async Task ApplyAsync_ReferencesUpstreamMarksAtomic_AreOwnedWhole()
    {
        const string Env = """
                    image: busybox
                    env:
                    - name: POD_IP
                      valueFrom: {fieldRef: {fieldPath: status.podIP}}
                    - name: PASSWORD
                      valueFrom: {secretKeyRef: {name: db, key: password}}
            """;
        var created = await ApplyDeploymentAsync(Deployment.Replace("        image: busybox", Env.TrimEnd(), StringComparison.Ordinal), "ci");

        var env = Assert.Single(Entries(created))["fieldsV1"]!["f:spec"]!["f:template"]!["f:spec"]!["f:containers"]!["k:{\"name\":\"sidecar\"}"]!["f:env"]!;
        // EnvVarSource is granular; ObjectFieldSelector and SecretKeySelector are +structType=atomic upstream. (An
        // applied set marks list items with ".", not structs.)
        Assert.Equal("""{"f:fieldRef":{}}""", env["k:{\"name\":\"POD_IP\"}"]!["f:valueFrom"]!.ToJsonString());
        Assert.Equal("""{"f:secretKeyRef":{}}""", env["k:{\"name\":\"PASSWORD\"}"]!["f:valueFrom"]!.ToJsonString());
        // The server's default inside the atomic value is kept, and owned with it.
        Assert.Equal("v1", (string)created["spec"]!["template"]!["spec"]!["containers"]![1]!["env"]![0]!["valueFrom"]!["fieldRef"]!["apiVersion"]!);
    }

    [Fact]
    public async Task ApplyAsync_ChangingAFieldAnotherManagerSet_ConflictsUnlessForced()
    {
        await ApplyDeploymentAsync(Deployment, "ci");
        await Deployments.GuaranteedUpdateAsync("default", "web", d => Set(d, "spec", "replicas", 5), Deployments.Definition.Strategy, dryRun: false, CancellationToken.None, new FieldOwner("autoscaler", "apps/v1"));

        var conflict = await Assert.ThrowsAsync<StatusException>(() => ApplyDeploymentAsync(Deployment, "ci"));

        Assert.Equal((409, "Conflict"), (conflict.Code, conflict.Reason));
        Assert.Equal("Apply failed with 1 conflict: conflict with \"autoscaler\" using apps/v1: .spec.replicas", conflict.Message);
        var cause = Assert.Single(conflict.Causes);
        Assert.Equal(("FieldManagerConflict", "conflict with \"autoscaler\" using apps/v1", ".spec.replicas"), (cause.Reason, cause.Message, cause.Field));
        Assert.Equal(5, (long)(await Deployments.GetAsync("default", "web", CancellationToken.None))["spec"]!["replicas"]!);

        var forced = await ApplyDeploymentAsync(Deployment, "ci", force: true);

        Assert.Equal(2, (long)forced["spec"]!["replicas"]!);
        Assert.Equal(["ci"], Entries(forced).Select(e => (string)e["manager"]!));
    }

    [Fact]
    public async Task ApplyAsync_ConflictsWithSeveralManagers_ListsThemByManager()
    {
        await ApplyDeploymentAsync(Deployment, "ci");
        await Deployments.GuaranteedUpdateAsync("default", "web", d => Set(d, "spec", "replicas", 5), Deployments.Definition.Strategy, dryRun: false, CancellationToken.None, new FieldOwner("autoscaler", "apps/v1"));
        await Deployments.GuaranteedUpdateAsync("default", "web", d => Set(d, "spec", "minReadySeconds", 7), Deployments.Definition.Strategy, dryRun: false, CancellationToken.None, new FieldOwner("tuner", "apps/v1"));

        var conflict = await Assert.ThrowsAsync<StatusException>(() => ApplyDeploymentAsync(Deployment.Replace("replicas: 2", "replicas: 2\n  minReadySeconds: 1", StringComparison.Ordinal), "ci"));

        Assert.Equal("Apply failed with 2 conflicts: conflicts with \"autoscaler\" using apps/v1:\n- .spec.replicas\nconflicts with \"tuner\" using apps/v1:\n- .spec.minReadySeconds", conflict.Message);
    }

    [Fact]
    public async Task ApplyAsync_SameValueAnotherApplierSet_SharesTheField()
    {
        await ApplyDeploymentAsync(Deployment, "ci");

        var shared = await ApplyDeploymentAsync("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec: {replicas: 2}
            """, "ops");

        var owners = Entries(shared).Where(e => e["fieldsV1"]!["f:spec"]?["f:replicas"] is not null).Select(e => (string)e["manager"]!);
        Assert.Equal(["ci", "ops"], owners);
    }

    [Fact]
    public async Task ApplyAsync_FieldsLeftOutOfTheConfiguration_AreRemovedUnlessAnotherManagerOwnsThem()
    {
        await ApplyConfigMapAsync("{metadata: {name: settings, labels: {a: '1', b: '2'}}, data: {x: '1', y: '2'}}", "ci");
        await ConfigMaps.GuaranteedUpdateAsync("default", "settings", cm => Set(cm, "metadata", "labels", new JsonObject { ["a"] = "1", ["b"] = "2", ["c"] = "3" }),
            ConfigMaps.Definition.Strategy, dryRun: false, CancellationToken.None, new FieldOwner("labeler", "v1"));

        var applied = await ApplyConfigMapAsync("{metadata: {name: settings, labels: {a: '1'}}, data: {x: '1'}}", "ci");

        Assert.Equal("{\"a\":\"1\",\"c\":\"3\"}", applied["metadata"]!["labels"]!.ToJsonString());
        Assert.Equal("{\"x\":\"1\"}", applied["data"]!.ToJsonString());
    }

    [Fact]
    public async Task ApplyAsync_ContainerLeftOut_RemovesThatItemAndKeepsTheOther()
    {
        await ApplyDeploymentAsync(Deployment, "ci");

        var applied = await ApplyDeploymentAsync(Deployment[..Deployment.IndexOf("      - name: sidecar", StringComparison.Ordinal)], "ci");

        var container = Assert.Single(applied["spec"]!["template"]!["spec"]!["containers"]!.AsArray());
        Assert.Equal("web", (string)container!["name"]!);
        Assert.Equal(2, (long)applied["spec"]!["replicas"]!);
    }

    [Fact]
    public async Task ApplyAsync_ObjectWrittenWithoutOwnership_ConflictsWithBeforeFirstApply()
    {
        await ConfigMaps.CreateAsync("default", Examples.Parse("{apiVersion: v1, kind: ConfigMap, metadata: {name: old}, data: {x: '1'}}"), dryRun: false, CancellationToken.None);

        var conflict = await Assert.ThrowsAsync<StatusException>(() => ApplyConfigMapAsync("{metadata: {name: old}, data: {x: '2'}}", "ci"));

        Assert.Equal("Apply failed with 1 conflict: conflict with \"before-first-apply\" using v1: .data.x", conflict.Message);
    }

    [Fact]
    public async Task ApplyAsync_DryRun_StoresNothing()
    {
        await ConfigMaps.ApplyAsync("default", "dry", Examples.Parse("{apiVersion: v1, kind: ConfigMap, metadata: {name: dry}}"), new FieldOwner("ci", "v1"), force: false, ConfigMaps.Definition.Strategy, dryRun: true, CancellationToken.None);

        await Assert.ThrowsAsync<StatusException>(() => ConfigMaps.GetAsync("default", "dry", CancellationToken.None));
    }

    [Fact]
    public async Task ApplyAsync_ToStatusOfAMissingObject_IsNotFound()
    {
        var missing = await Assert.ThrowsAsync<StatusException>(() => Deployments.ApplyAsync("default", "none", Examples.Parse("{apiVersion: apps/v1, kind: Deployment, metadata: {name: none}, status: {replicas: 1}}"),
            new FieldOwner("ci", "apps/v1", "status"), force: false, new StatusStrategy(Deployments.Definition.Strategy), dryRun: false, CancellationToken.None));

        Assert.Equal((404, "deployments.apps \"none\" not found"), (missing.Code, missing.Message));
    }

    [Fact]
    public async Task UpdateAsync_ChangedFields_MoveToTheUpdater()
    {
        await ConfigMaps.CreateAsync("default", Examples.Parse("{apiVersion: v1, kind: ConfigMap, metadata: {name: moved}, data: {x: '1', y: '2'}}"), dryRun: false, CancellationToken.None, new FieldOwner("creator", "v1"));

        var updated = await ConfigMaps.GuaranteedUpdateAsync("default", "moved", cm => Set(cm, "data", "x", "changed"), ConfigMaps.Definition.Strategy, dryRun: false, CancellationToken.None, new FieldOwner("editor", "v1"));

        var entries = Entries(updated);
        Assert.Equal(["creator", "editor"], entries.Select(e => (string)e["manager"]!));
        Assert.Equal("{\"f:data\":{\".\":{},\"f:y\":{}}}", entries[0]["fieldsV1"]!.ToJsonString());
        Assert.Equal("{\"f:data\":{\"f:x\":{}}}", entries[1]["fieldsV1"]!.ToJsonString());
    }

    [Fact]
    public async Task UpdateAsync_ManagedFieldsSetToOneEmptyEntry_ClearsThemAndAnUnchangedObjectIsNotWritten()
    {
        var created = await ConfigMaps.CreateAsync("default", Examples.Parse("{apiVersion: v1, kind: ConfigMap, metadata: {name: reset}, data: {x: '1'}}"), dryRun: false, CancellationToken.None, new FieldOwner("creator", "v1"));
        var unchanged = await ConfigMaps.UpdateAsync("default", "reset", created.DeepClone().AsObject(), ConfigMaps.Definition.Strategy, dryRun: false, CancellationToken.None, new FieldOwner("editor", "v1"));
        Assert.Equal(created["metadata"]!["resourceVersion"]!.ToString(), unchanged["metadata"]!["resourceVersion"]!.ToString());

        var cleared = await ConfigMaps.GuaranteedUpdateAsync("default", "reset", cm => Set(cm, "metadata", "managedFields", new JsonArray(new JsonObject())),
            ConfigMaps.Definition.Strategy, dryRun: false, CancellationToken.None, new FieldOwner("editor", "v1"));

        Assert.Null(cleared["metadata"]!["managedFields"]);
    }

    [Fact]
    public async Task UpdateAsync_ManyUpdaters_KeepsTenEntriesMergingTheOldestIntoAncientChanges()
    {
        await ConfigMaps.CreateAsync("default", Examples.Parse("{apiVersion: v1, kind: ConfigMap, metadata: {name: busy}}"), dryRun: false, CancellationToken.None);
        JsonObject written = null!;
        for (var i = 1; i <= 12; i++)
        {
            var key = $"k{i:00}";
            written = await ConfigMaps.GuaranteedUpdateAsync("default", "busy", cm => Set(cm, "data", key, "v"), ConfigMaps.Definition.Strategy, dryRun: false, CancellationToken.None, new FieldOwner($"m{i:00}", "v1"));
        }

        var entries = Entries(written);
        Assert.Equal(10, entries.Count);
        var ancient = Assert.Single(entries, e => (string)e["manager"]! == AncientChanges);
        Assert.Equal([".", "f:k01", "f:k02", "f:k03"], ancient["fieldsV1"]!["f:data"]!.AsObject().Select(f => f.Key));
        Assert.Equal(Enumerable.Range(4, 9).Select(i => $"m{i:00}"), entries.Select(e => (string)e["manager"]!).Where(m => m != AncientChanges));
    }

    private Task<JsonObject> ApplyDeploymentAsync(string yaml, string manager, bool force = false) =>
        Deployments.ApplyAsync("default", "web", Examples.Parse(yaml), new FieldOwner(manager, "apps/v1"), force, Deployments.Definition.Strategy, dryRun: false, CancellationToken.None);

    private Task<JsonObject> ApplyConfigMapAsync(string yaml, string manager)
    {
        var config = Examples.Parse(yaml);
        config["apiVersion"] = "v1";
        config["kind"] = "ConfigMap";
        return ConfigMaps.ApplyAsync("default", (string)config["metadata"]!["name"]!, config, new FieldOwner(manager, "v1"), force: false, ConfigMaps.Definition.Strategy, dryRun: false, CancellationToken.None);
    }

    private static List<JsonObject> Entries(JsonObject obj) => [.. obj["metadata"]!["managedFields"]!.AsArray().Select(e => e!.AsObject())];

    private static JsonObject Set(JsonObject obj, string parent, string field, JsonNode value)
    {
        if (obj[parent] is null)
        {
            obj[parent] = new JsonObject();
        }

        obj[parent]![field] = value;
        return obj;
    }
}
