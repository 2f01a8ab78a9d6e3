using System.Text.Json.Nodes;

namespace Timonel.IntegrationTests;

/// <summary>
/// The garbage collector on <c>timonel server --simulated-nodes 3</c>, driven by the real kubectl: cascading
/// deletion in the background, foreground and orphan modes, owners of any kind (ConfigMaps, custom resources), and an
/// owner re-created under the same name, which does not adopt the old one's dependents.
/// </summary>
public sealed class GarbageCollectorTests : IClassFixture<SimulatedClusterFixture>
{
    // Pods owned by a ReplicaSet, as the ReplicaSet controller makes them (ownerReferences with controller and
    // blockOwnerDeletion set); no grace period, so deleted pods go as soon as their node says so.
    private const string ReplicaSetYaml = """
        {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "web"},
         "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
                  "template": {"metadata": {"labels": {"app": "web"}},
                               "spec": {"terminationGracePeriodSeconds": 0, "containers": [{"name": "web", "image": "nginx"}]}}}}
        """;

    private readonly SimulatedClusterFixture _fixture;

    public GarbageCollectorTests(SimulatedClusterFixture fixture) => _fixture = fixture;

    private Kubectl Kubectl => _fixture.Kubectl;

    [SkippableFact]
    public async Task DeleteReplicaSet_Background_RemovesItsPods()
    {
        var ns = await ReplicaSetWithPodsAsync("gc-bg");

        (await Kubectl.RunAsync("delete", "rs", "web", "-n", ns)).EnsureSuccess();
        var pods = await PollAsync(() => PodsAsync(ns), p => p.Length == 0);

        Assert.Equal("", pods);
    }

    [SkippableFact]
    public async Task DeleteReplicaSet_CascadeOrphan_PodsStayWithoutOwnerReferences()
    {
        var ns = await ReplicaSetWithPodsAsync("gc-orphan");

        (await Kubectl.RunAsync("delete", "rs", "web", "-n", ns, "--cascade=orphan")).EnsureSuccess();
        var replicaSets = (await Kubectl.RunAsync("get", "rs", "-n", ns, "-o", "name")).EnsureSuccess().Stdout;
        var owners = (await Kubectl.RunAsync("get", "pods", "-n", ns, "-l", "app=web", "-o", "jsonpath={range .items[*]}{.metadata.name}={.metadata.ownerReferences}{\"\\n\"}{end}")).EnsureSuccess().Stdout;
        var lines = owners.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("", replicaSets.Trim());
        Assert.Equal(3, lines.Length);
        Assert.All(lines, line => Assert.EndsWith("=", line, StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task DeleteReplicaSet_CascadeForeground_OwnerStaysUntilItsPodsAreGone()
    {
        var ns = await ReplicaSetWithPodsAsync("gc-fg");
        var held = (await PodsAsync(ns)).Split(' ')[0];
        // One pod held by a finalizer of the test's own, so the owner is seen waiting on it.
        (await Kubectl.RunAsync("patch", "pod", held, "-n", ns, "--type=merge", "-p", """{"metadata":{"finalizers":["example.com/hold"]}}""")).EnsureSuccess();

        (await Kubectl.RunAsync("delete", "rs", "web", "-n", ns, "--cascade=foreground", "--wait=false")).EnsureSuccess();
        var others = await PollAsync(() => PodsAsync(ns), p => p == held);
        var waiting = (await Kubectl.RunAsync("get", "rs", "web", "-n", ns, "-o", "jsonpath={.metadata.finalizers} {.metadata.deletionTimestamp}")).EnsureSuccess().Stdout;
        (await Kubectl.RunAsync("patch", "pod", held, "-n", ns, "--type=merge", "-p", """{"metadata":{"finalizers":null}}""")).EnsureSuccess();
        var gone = await SimulatedClusterFixture.WaitAsync(Kubectl, "rs/web", "--for=delete", ns);

        Assert.Equal(held, others);
        Assert.Matches(@"^\[""foregroundDeletion""\] \d{4}-\d\d-\d\dT", waiting);
        Assert.True(gone.ExitCode == 0, gone.ToString());
        Assert.Equal("", await PodsAsync(ns));
    }

    [SkippableFact]
    public async Task DeleteConfigMap_OwnsAnotherConfigMap_DependentDeleted()
    {
        var ns = await NamespaceAsync("gc-cm");
        var owner = await CreateConfigMapAsync(ns, "owner");
        await CreateConfigMapAsync(ns, "dependent", ("v1", "ConfigMap", "owner", owner));

        (await Kubectl.RunAsync("delete", "configmap", "owner", "-n", ns)).EnsureSuccess();
        var gone = await SimulatedClusterFixture.WaitAsync(Kubectl, "configmap/dependent", "--for=delete", ns);

        Assert.True(gone.ExitCode == 0, gone.ToString());
    }

    [SkippableFact]
    public async Task DeleteCustomResource_OwnsAConfigMap_DependentDeleted()
    {
        var ns = await NamespaceAsync("gc-cr");
        var group = "gc" + Guid.NewGuid().ToString("N")[..8] + ".example.com";
        (await Kubectl.RunWithInputAsync(Definition(group), "apply", "-f", "-")).EnsureSuccess();
        (await SimulatedClusterFixture.WaitAsync(Kubectl, $"crd/widgets.{group}", "--for=condition=Established")).EnsureSuccess();
        var widget = $"""
            apiVersion: {group}/v1
            kind: Widget
            metadata:
              name: owner
            spec: {"{}"}
            """;
        (await Kubectl.RunWithInputAsync(widget, "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        var uid = (await Kubectl.RunAsync("get", $"widgets.{group}", "owner", "-n", ns, "-o", "jsonpath={.metadata.uid}")).EnsureSuccess().Stdout;
        await CreateConfigMapAsync(ns, "dependent", ($"{group}/v1", "Widget", "owner", uid));

        (await Kubectl.RunAsync("delete", $"widgets.{group}", "owner", "-n", ns)).EnsureSuccess();
        var left = await PollAsync(() => ConfigMapAsync(ns, "dependent"), name => name.Length == 0, TimeSpan.FromSeconds(120));

        Assert.Equal("", left);
    }

    [SkippableFact]
    public async Task DeleteOwner_RecreatedUnderTheSameName_OldDependentStillDeleted()
    {
        var ns = await NamespaceAsync("gc-recreate");
        var first = await CreateConfigMapAsync(ns, "owner");
        await CreateConfigMapAsync(ns, "dependent", ("v1", "ConfigMap", "owner", first));

        (await Kubectl.RunAsync("delete", "configmap", "owner", "-n", ns)).EnsureSuccess();
        var second = await CreateConfigMapAsync(ns, "owner");
        var gone = await SimulatedClusterFixture.WaitAsync(Kubectl, "configmap/dependent", "--for=delete", ns);

        Assert.NotEqual(first, second);
        Assert.True(gone.ExitCode == 0, gone.ToString());
        Assert.Equal("owner", await ConfigMapAsync(ns, "owner"));
    }

    private static string Definition(string group) => $$"""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.{{group}}
        spec:
          group: {{group}}
          scope: Namespaced
          names:
            plural: widgets
            singular: widget
            kind: Widget
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                x-kubernetes-preserve-unknown-fields: true
        """;

    /// <summary>Polls <paramref name="read"/> every second until <paramref name="done"/> (60 s by default); the last answer.</summary>
    private static async Task<string> PollAsync(Func<Task<string>> read, Func<string, bool> done, TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? TimeSpan.FromSeconds(60));
        var last = await read();
        while (!done(last) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(1000);
            last = await read();
        }

        return last;
    }

    private async Task<string> NamespaceAsync(string prefix)
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = prefix + "-" + Guid.NewGuid().ToString("N")[..8];
        (await Kubectl.RunAsync("create", "namespace", ns)).EnsureSuccess();
        return ns;
    }

    private async Task<string> ReplicaSetWithPodsAsync(string prefix)
    {
        var ns = await NamespaceAsync(prefix);
        (await Kubectl.RunWithInputAsync(ReplicaSetYaml, "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        var pods = await PollAsync(() => PodsAsync(ns), p => p.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 3);
        Assert.Equal(3, pods.Split(' ').Length);
        return ns;
    }

    /// <summary>Creates a ConfigMap, owned by the owner given if any; answers its UID.</summary>
    private async Task<string> CreateConfigMapAsync(string ns, string name, (string ApiVersion, string Kind, string Name, string Uid)? owner = null)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (owner is { } o)
        {
            metadata["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = o.ApiVersion, ["kind"] = o.Kind, ["name"] = o.Name, ["uid"] = o.Uid });
        }

        var json = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = metadata, ["data"] = new JsonObject { ["key"] = "value" } }.ToJsonString();
        (await Kubectl.RunWithInputAsync(json, "create", "-n", ns, "-f", "-")).EnsureSuccess();
        return (await Kubectl.RunAsync("get", "configmap", name, "-n", ns, "-o", "jsonpath={.metadata.uid}")).EnsureSuccess().Stdout;
    }

    private async Task<string> ConfigMapAsync(string ns, string name) =>
        (await Kubectl.RunAsync("get", "configmap", name, "-n", ns, "--ignore-not-found", "-o", "jsonpath={.metadata.name}")).EnsureSuccess().Stdout;

    /// <summary>The names of the pods labelled app=web, space-separated, sorted.</summary>
    private async Task<string> PodsAsync(string ns)
    {
        var output = (await Kubectl.RunAsync("get", "pods", "-n", ns, "-l", "app=web", "-o", "jsonpath={range .items[*]}{.metadata.name}{\"\\n\"}{end}")).EnsureSuccess().Stdout;
        return string.Join(' ', output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
    }
}
