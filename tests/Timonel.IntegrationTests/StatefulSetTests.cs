using System.Text.Json;
using k8s;
using k8s.Models;

namespace Timonel.IntegrationTests;

/// <summary>
/// StatefulSets on <c>timonel server --simulated-nodes 3</c>, driven by the real kubectl: named pods with their claims,
/// ordered and parallel creation, scale-down from the highest ordinal, rolling updates from the highest ordinal down
/// to the partition, and kubectl's rollout verbs (status, history, undo), as upstream's statefulset controller does.
/// </summary>
public sealed class StatefulSetTests : IClassFixture<SimulatedClusterFixture>
{
    private readonly SimulatedClusterFixture _fixture;

    public StatefulSetTests(SimulatedClusterFixture fixture) => _fixture = fixture;

    private Kubectl Kubectl => _fixture.Kubectl;

    [SkippableFact]
    public async Task ApplyExample05_PodAndClaimNamedAndLabelledAsUpstream_ClaimOutlivesTheSet()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await CreateNamespaceAsync();

        (await Kubectl.RunAsync("apply", "-n", ns, "-f", Examples.File("05-statefulset.yaml"))).EnsureSuccess();
        (await SimulatedClusterFixture.WaitAsync(Kubectl, "pod/my-csi-app-set-0", "--for=create", ns)).EnsureSuccess();
        var pod = await JsonAsync(ns, "pod", "my-csi-app-set-0");
        var claim = await JsonAsync(ns, "pvc", "csi-pvc-my-csi-app-set-0");
        var events = await SimulatedClusterFixture.EventuallyAsync(
            async () => (await Kubectl.RunAsync("get", "events", "-n", ns, "--field-selector", "involvedObject.kind=StatefulSet", "--no-headers")).Stdout,
            text => text.Contains("create Pod my-csi-app-set-0", StringComparison.Ordinal));
        var table = (await Kubectl.RunAsync("get", "sts", "-n", ns)).EnsureSuccess().Stdout;
        var wide = (await Kubectl.RunAsync("get", "sts", "-n", ns, "-o", "wide", "--no-headers")).EnsureSuccess().Stdout;
        var describe = (await Kubectl.RunAsync("describe", "sts", "my-csi-app-set", "-n", ns)).EnsureSuccess().Stdout;

        var labels = pod.GetProperty("metadata").GetProperty("labels");
        Assert.Equal("mypod", labels.GetProperty("app").GetString());
        Assert.Equal("my-csi-app-set-0", labels.GetProperty("statefulset.kubernetes.io/pod-name").GetString());
        Assert.Equal("0", labels.GetProperty("apps.kubernetes.io/pod-index").GetString());
        Assert.Matches("^my-csi-app-set-[a-z0-9]+$", labels.GetProperty("controller-revision-hash").GetString());
        Assert.Equal("my-csi-app-set-0", pod.GetProperty("spec").GetProperty("hostname").GetString());
        Assert.Equal("my-frontend", pod.GetProperty("spec").GetProperty("subdomain").GetString());
        var volume = pod.GetProperty("spec").GetProperty("volumes").EnumerateArray().Single(v => v.GetProperty("name").GetString() == "csi-pvc");
        Assert.Equal("csi-pvc-my-csi-app-set-0", volume.GetProperty("persistentVolumeClaim").GetProperty("claimName").GetString());
        Assert.Equal("mypod", claim.GetProperty("metadata").GetProperty("labels").GetProperty("app").GetString());
        Assert.Equal("5Gi", claim.GetProperty("spec").GetProperty("resources").GetProperty("requests").GetProperty("storage").GetString());
        Assert.Equal("do-block-storage", claim.GetProperty("spec").GetProperty("storageClassName").GetString());
        Assert.False(claim.GetProperty("metadata").TryGetProperty("ownerReferences", out _), "Retain/Retain claims have no owner");
        Assert.Matches(@"Normal\s+SuccessfulCreate\s+statefulset/my-csi-app-set\s+create Claim csi-pvc-my-csi-app-set-0 Pod my-csi-app-set-0 in StatefulSet my-csi-app-set success", events);
        Assert.Matches(@"Normal\s+SuccessfulCreate\s+statefulset/my-csi-app-set\s+create Pod my-csi-app-set-0 in StatefulSet my-csi-app-set successful", events);
        Assert.Matches(@"^NAME\s+READY\s+AGE\s*\nmy-csi-app-set\s+\d/1\s+\d+s", table);
        Assert.Matches(@"^my-csi-app-set\s+\d/1\s+\d+s\s+my-frontend\s+busybox\s*$", wide);
        Assert.Matches(@"Replicas:\s+1 desired \| 1 total", describe);
        Assert.Matches(@"Update Strategy:\s+RollingUpdate", describe);
        Assert.Matches(@"Volume Claims:\s+Name:\s+csi-pvc\s+StorageClass:\s+do-block-storage", describe);

        (await Kubectl.RunAsync("delete", "sts", "my-csi-app-set", "-n", ns)).EnsureSuccess();
        var pods = await SimulatedClusterFixture.EventuallyAsync(
            async () => (await Kubectl.RunAsync("get", "pods", "-n", ns, "-o", "name")).Stdout.Trim(),
            text => text.Length == 0);
        var claims = (await Kubectl.RunAsync("get", "pvc", "-n", ns, "-o", "name")).EnsureSuccess().Stdout.Trim();

        Assert.Equal("", pods);
        Assert.Equal("persistentvolumeclaim/csi-pvc-my-csi-app-set-0", claims);
    }

    [SkippableFact]
    public async Task ScaleToThree_OrderedReady_EachOrdinalCreatedOnlyOnceThePreviousIsReady_ScaleDownFromTheTop()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await CreateNamespaceAsync();
        (await Kubectl.RunWithInputAsync(SetYaml("OrderedReady", replicas: 1), "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        (await RolloutStatusAsync(ns)).EnsureSuccess();

        await using var watch = PodWatch.Start(_fixture.KubeconfigPath, ns);
        (await Kubectl.RunAsync("scale", "sts", "db", "--replicas=3", "-n", ns)).EnsureSuccess();
        var status = await RolloutStatusAsync(ns);
        var table = (await Kubectl.RunAsync("get", "sts", "db", "-n", ns, "--no-headers")).EnsureSuccess().Stdout;

        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("partitioned roll out complete: 3 new pods have been updated...", status.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"^db\s+3/3\s", table);
        var seen = watch.Seen;
        Assert.True(seen.IndexOf("ADDED db-1") > seen.IndexOf("READY db-0") && seen.IndexOf("READY db-0") >= 0, string.Join('\n', seen));
        Assert.True(seen.IndexOf("ADDED db-2") > seen.IndexOf("READY db-1") && seen.IndexOf("READY db-1") >= 0, string.Join('\n', seen));

        (await Kubectl.RunAsync("scale", "sts", "db", "--replicas=1", "-n", ns)).EnsureSuccess();
        var left = await SimulatedClusterFixture.EventuallyAsync(
            async () => string.Join(' ', await PodNamesAsync(ns)),
            names => names == "db-0");
        var deletions = watch.Seen.Where(s => s.StartsWith("DELETING ", StringComparison.Ordinal)).ToList();

        Assert.Equal("db-0", left);
        Assert.Equal(["DELETING db-2", "DELETING db-1"], deletions);
    }

    [SkippableFact]
    public async Task Parallel_PodsNeverReady_AllOrdinalsCreatedAtOnce()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await CreateNamespaceAsync();

        (await Kubectl.RunWithInputAsync(SetYaml("Parallel", replicas: 3, ready: false), "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        var names = await SimulatedClusterFixture.EventuallyAsync(
            async () => string.Join(' ', await PodNamesAsync(ns)),
            text => text == "db-0 db-1 db-2");
        var replicas = await SimulatedClusterFixture.WaitAsync(Kubectl, "sts/db", "--for=jsonpath={.status.replicas}=3", ns);
        var ready = (await Kubectl.RunAsync("get", "sts", "db", "-n", ns, "-o", "jsonpath={.status.readyReplicas}")).EnsureSuccess().Stdout;

        Assert.Equal("db-0 db-1 db-2", names);
        Assert.True(replicas.ExitCode == 0, replicas.ToString());
        Assert.True(ready is "" or "0", ready);
    }

    [SkippableFact]
    public async Task SetImage_RollsFromTheHighestOrdinal_HistoryAndUndo_ThenPartitionUpdatesOnlyFromIt()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await CreateNamespaceAsync();
        (await Kubectl.RunWithInputAsync(SetYaml("OrderedReady", replicas: 3), "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        (await RolloutStatusAsync(ns)).EnsureSuccess();

        await using (var watch = PodWatch.Start(_fixture.KubeconfigPath, ns))
        {
            (await Kubectl.RunAsync("set", "image", "sts/db", "db=nginx:1.27", "-n", ns)).EnsureSuccess();
            var rolled = await RolloutStatusAsync(ns);
            var images = await ImagesAsync(ns);

            Assert.True(rolled.ExitCode == 0, rolled.ToString());
            Assert.Contains("partitioned roll out complete: 3 new pods have been updated...", rolled.Stdout, StringComparison.Ordinal);
            Assert.Equal("db-0=nginx:1.27 db-1=nginx:1.27 db-2=nginx:1.27", images);
            Assert.Equal(["DELETING db-2", "DELETING db-1", "DELETING db-0"], watch.Seen.Where(s => s.StartsWith("DELETING ", StringComparison.Ordinal)));
        }

        var revisions = (await Kubectl.RunAsync("get", "sts", "db", "-n", ns, "-o", "jsonpath={.status.currentRevision} {.status.updateRevision} {.status.updatedReplicas} {.status.currentReplicas}")).EnsureSuccess().Stdout.Split(' ');
        var history = (await Kubectl.RunAsync("rollout", "history", "sts/db", "-n", ns)).EnsureSuccess().Stdout;

        Assert.Equal(revisions[0], revisions[1]);
        Assert.Equal(["3", "3"], revisions[2..]);
        Assert.Matches(@"REVISION\s+CHANGE-CAUSE\s+1\s+<none>\s+2\s+<none>", history);

        var undo = (await Kubectl.RunAsync("rollout", "undo", "sts/db", "-n", ns)).EnsureSuccess().Stdout;
        var undone = await RolloutStatusAsync(ns);
        var undoneImages = await SimulatedClusterFixture.EventuallyAsync(() => ImagesAsync(ns), text => text == "db-0=nginx:1.26 db-1=nginx:1.26 db-2=nginx:1.26");
        var after = (await Kubectl.RunAsync("rollout", "history", "sts/db", "-n", ns)).EnsureSuccess().Stdout;

        Assert.Contains("statefulset.apps/db rolled back", undo, StringComparison.Ordinal);
        Assert.True(undone.ExitCode == 0, undone.ToString());
        Assert.Equal("db-0=nginx:1.26 db-1=nginx:1.26 db-2=nginx:1.26", undoneImages);
        Assert.Matches(@"REVISION\s+CHANGE-CAUSE\s+2\s+<none>\s+3\s+<none>", after);

        (await Kubectl.RunAsync("patch", "sts", "db", "-n", ns, "-p", """{"spec":{"updateStrategy":{"rollingUpdate":{"partition":2}}}}""")).EnsureSuccess();
        (await Kubectl.RunAsync("set", "image", "sts/db", "db=nginx:1.28", "-n", ns)).EnsureSuccess();
        var partitioned = await RolloutStatusAsync(ns);
        var partitionImages = await ImagesAsync(ns);

        Assert.True(partitioned.ExitCode == 0, partitioned.ToString());
        Assert.Contains("partitioned roll out complete: 1 new pods have been updated...", partitioned.Stdout, StringComparison.Ordinal);
        Assert.Equal("db-0=nginx:1.26 db-1=nginx:1.26 db-2=nginx:1.28", partitionImages);
    }

    [SkippableFact]
    public async Task RetentionPolicyDelete_ScaledAwayClaimGoesWithItsPod_TheRestWithTheSet()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await CreateNamespaceAsync();
        const string Yaml = """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata:
              name: kept
            spec:
              serviceName: kept
              replicas: 2
              podManagementPolicy: Parallel
              persistentVolumeClaimRetentionPolicy:
                whenDeleted: Delete
                whenScaled: Delete
              selector:
                matchLabels:
                  app: kept
              template:
                metadata:
                  labels:
                    app: kept
                spec:
                  containers:
                  - name: kept
                    image: nginx
              volumeClaimTemplates:
              - metadata:
                  name: data
                spec:
                  accessModes: [ReadWriteOnce]
                  resources:
                    requests:
                      storage: 1Gi
            """;

        (await Kubectl.RunWithInputAsync(Yaml, "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        var owners = await SimulatedClusterFixture.EventuallyAsync(
            () => ClaimOwnersAsync(ns),
            text => text == "data-kept-0:StatefulSet/kept data-kept-1:StatefulSet/kept");

        Assert.Equal("data-kept-0:StatefulSet/kept data-kept-1:StatefulSet/kept", owners);

        (await Kubectl.RunAsync("scale", "sts", "kept", "--replicas=1", "-n", ns)).EnsureSuccess();
        var scaled = await SimulatedClusterFixture.EventuallyAsync(() => ClaimOwnersAsync(ns), text => text == "data-kept-0:StatefulSet/kept");

        Assert.Equal("data-kept-0:StatefulSet/kept", scaled);

        (await Kubectl.RunAsync("delete", "sts", "kept", "-n", ns)).EnsureSuccess();
        var deleted = await SimulatedClusterFixture.EventuallyAsync(() => ClaimOwnersAsync(ns), text => text.Length == 0);

        Assert.Equal("", deleted);
    }

    /// <summary>Each claim of the namespace as name:OwnerKind/ownerName (owners joined by commas), sorted.</summary>
    private async Task<string> ClaimOwnersAsync(string ns) =>
        string.Join(' ', (await Kubectl.RunAsync("get", "pvc", "-n", ns, "-o", "jsonpath={range .items[*]}{.metadata.name}:{range .metadata.ownerReferences[*]}{.kind}/{.name}{end}{\"\\n\"}{end}")).EnsureSuccess().Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));

    private static string SetYaml(string podManagementPolicy, int replicas, bool ready = true) => $$"""
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: db
        spec:
          serviceName: db
          replicas: {{replicas}}
          podManagementPolicy: {{podManagementPolicy}}
          selector:
            matchLabels:
              app: db
          template:
            metadata:
              labels:
                app: db
              annotations:
                sim.timonel.io/ready: "{{(ready ? "true" : "false")}}"
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: db
                image: nginx:1.26
        """;

    private async Task<string> CreateNamespaceAsync()
    {
        var ns = "sts-" + Guid.NewGuid().ToString("N")[..8];
        (await Kubectl.RunAsync("create", "namespace", ns)).EnsureSuccess();
        return ns;
    }

    private Task<KubectlResult> RolloutStatusAsync(string ns) =>
        Kubectl.RunAsync("rollout", "status", "sts/db", "-n", ns, "--timeout=90s");

    private async Task<JsonElement> JsonAsync(string ns, string kind, string name)
    {
        var json = (await Kubectl.RunAsync("get", kind, name, "-n", ns, "-o", "json")).EnsureSuccess().Stdout;
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    /// <summary>The pods not being deleted, by name.</summary>
    private async Task<List<string>> PodNamesAsync(string ns)
    {
        var json = (await Kubectl.RunAsync("get", "pods", "-n", ns, "-o", "json")).EnsureSuccess().Stdout;
        using var doc = JsonDocument.Parse(json);
        return [.. doc.RootElement.GetProperty("items").EnumerateArray()
            .Where(p => !p.GetProperty("metadata").TryGetProperty("deletionTimestamp", out _))
            .Select(p => p.GetProperty("metadata").GetProperty("name").GetString()!)
            .Order(StringComparer.Ordinal)];
    }

    private async Task<string> ImagesAsync(string ns) =>
        string.Join(' ', ((await Kubectl.RunAsync("get", "pods", "-n", ns, "-o", "jsonpath={range .items[*]}{.metadata.name}={.spec.containers[0].image}{\"\\n\"}{end}")).EnsureSuccess().Stdout)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));

    /// <summary>
    /// Watches a namespace's pods with the official client and keeps, in the order seen: "ADDED name", "READY name"
    /// (the first time it is Running and Ready) and "DELETING name" (the first time it carries a deletionTimestamp).
    /// </summary>
    private sealed class PodWatch : IAsyncDisposable
    {
        private readonly Kubernetes _client;
        private readonly CancellationTokenSource _stop = new();
        private readonly Lock _lock = new();
        private readonly List<string> _seen = [];
        private readonly HashSet<string> _marked = [];
        private Task _loop = Task.CompletedTask;

        private PodWatch(string kubeconfig) => _client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));

        public List<string> Seen
        {
            get
            {
                lock (_lock)
                {
                    return [.. _seen];
                }
            }
        }

        public static PodWatch Start(string kubeconfig, string ns)
        {
            var watch = new PodWatch(kubeconfig);
            var list = watch._client.CoreV1.ListNamespacedPod(ns);
            foreach (var pod in list.Items)
            {
                watch.Observe(WatchEventType.Added, pod, initial: true);
            }

            watch._loop = Task.Run(() => watch.RunAsync(ns, list.Metadata.ResourceVersion));
            return watch;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
            }

            _stop.Dispose();
            _client.Dispose();
        }

        private async Task RunAsync(string ns, string resourceVersion)
        {
            try
            {
                await foreach (var (type, pod) in _client.CoreV1.WatchListNamespacedPodAsync(ns, resourceVersion: resourceVersion, timeoutSeconds: 300, cancellationToken: _stop.Token))
                {
                    Observe(type, pod, initial: false);
                }
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
            }
        }

        private void Observe(WatchEventType type, V1Pod pod, bool initial)
        {
            var name = pod.Metadata.Name;
            lock (_lock)
            {
                if (type == WatchEventType.Added && !initial)
                {
                    _seen.Add("ADDED " + name);
                }

                // Keyed by the pod's UID too, so a replacement of the same name is seen afresh.
                var ready = pod.Status?.Phase == "Running" && pod.Status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
                Mark(ready && pod.Metadata.DeletionTimestamp is null, "READY " + name, pod.Metadata.Uid);
                Mark(pod.Metadata.DeletionTimestamp is not null, "DELETING " + name, pod.Metadata.Uid);
            }
        }

        private void Mark(bool condition, string entry, string uid)
        {
            // Pods already there count as seen first, in their state then.
            if (condition && _marked.Add(entry + "/" + uid))
            {
                _seen.Add(entry);
            }
        }
    }
}
