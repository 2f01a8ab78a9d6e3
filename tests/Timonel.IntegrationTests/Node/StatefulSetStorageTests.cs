namespace Timonel.IntegrationTests.Node;

/// <summary>
/// Volumes that outlive pods on a real node: examples/05-statefulset.yaml unchanged (its class do-block-storage is
/// an alias of local-path), its data kept across a pod's replacement, one directory per claim under the server's
/// DATA/storage, grown by an edit of the claim, removed with the claims (Delete) or kept (Retain); the classes
/// kubectl lists; claims of an unknown class, or a second pod on a ReadWriteOncePod claim, left waiting as upstream.
/// </summary>
[Collection(RealNodeCollection.Name)]
public sealed class StatefulSetStorageTests
{
    private const string Set = "my-csi-app-set";

    private readonly RealNodeFixture _node;

    public StatefulSetStorageTests(RealNodeFixture node) => _node = node;

    private Kubectl Kubectl => _node.Kubectl;

    private string StorageDir => Path.Combine(_node.DataDir, "storage");

    [SkippableFact]
    public async Task Example05_DataSurvivesThePodScalingMakesAVolumeEachAndDeletingTheClaimsRemovesThem()
    {
        var ns = await StartAsync();
        (await Kubectl.RunAsync("apply", "-n", ns, "-f", Examples.File("05-statefulset.yaml"))).EnsureSuccess();
        await WaitAsync(ns, "pvc/csi-pvc-my-csi-app-set-0", "jsonpath={.status.phase}=Bound");
        await WaitAsync(ns, "pod/my-csi-app-set-0", "condition=Ready");

        var directory = await DirectoryOfAsync(ns, "csi-pvc-my-csi-app-set-0");
        Assert.Equal(StorageDir, Path.GetDirectoryName(directory));
        var claim = (await Kubectl.RunAsync("get", "pvc", "csi-pvc-my-csi-app-set-0", "-n", ns)).EnsureSuccess().Stdout;
        Assert.Matches(@"csi-pvc-my-csi-app-set-0\s+Bound\s+pvc-\S+\s+5Gi\s+RWO\s+do-block-storage\s+<unset>\s+\S+", claim);
        var events = (await Kubectl.RunAsync("describe", "pvc", "csi-pvc-my-csi-app-set-0", "-n", ns)).EnsureSuccess().Stdout;
        Assert.Matches(@"Normal\s+Provisioning\s+.*External provisioner is provisioning volume for claim", events);
        Assert.Matches(@"Normal\s+ProvisioningSucceeded\s+.*Successfully provisioned volume pvc-", events);

        // The data outlives the pod: its replacement reads what the first one wrote.
        (await Kubectl.RunAsync("exec", "-n", ns, "my-csi-app-set-0", "--", "sh", "-c", "echo kept > /data/file")).EnsureSuccess();
        Assert.Equal("kept\n", await File.ReadAllTextAsync(Path.Combine(directory, "file")));
        var firstUid = await JsonPathAsync(ns, "pod/my-csi-app-set-0", "{.metadata.uid}");
        (await Kubectl.RunAsync("delete", "pod", "my-csi-app-set-0", "-n", ns, "--timeout=60s")).EnsureSuccess();
        await WaitAsync(ns, "pod/my-csi-app-set-0", "condition=Ready");
        Assert.NotEqual(firstUid, await JsonPathAsync(ns, "pod/my-csi-app-set-0", "{.metadata.uid}"));
        Assert.Equal("kept\n", (await Kubectl.RunAsync("exec", "-n", ns, "my-csi-app-set-0", "--", "cat", "/data/file")).EnsureSuccess().Stdout);

        // Three replicas: three claims, three directories.
        (await Kubectl.RunAsync("scale", "statefulset", Set, "-n", ns, "--replicas=3")).EnsureSuccess();
        await RolloutAsync(ns, "statefulset/" + Set);
        string[] claims = ["csi-pvc-my-csi-app-set-0", "csi-pvc-my-csi-app-set-1", "csi-pvc-my-csi-app-set-2"];
        var directories = new List<string>();
        foreach (var name in claims)
        {
            directories.Add(await DirectoryOfAsync(ns, name));
        }

        Assert.Equal(3, directories.Distinct().Count());
        Assert.All(directories, dir => Assert.True(Directory.Exists(dir), dir + " is missing"));

        // Growing a claim: the volume at once, the claim's capacity once the node has finished.
        (await Kubectl.RunAsync("patch", "pvc", claims[0], "-n", ns, "-p", """{"spec":{"resources":{"requests":{"storage":"8Gi"}}}}""")).EnsureSuccess();
        await WaitAsync(ns, "pvc/" + claims[0], "jsonpath={.status.capacity.storage}=8Gi", timeout: "90s");
        var volume = await JsonPathAsync(ns, "pvc/" + claims[0], "{.spec.volumeName}");
        Assert.Equal("8Gi", (await Kubectl.RunAsync("get", "pv", volume, "-o", "jsonpath={.spec.capacity.storage}")).EnsureSuccess().Stdout);
        // The kubelet's event comes after the status it wrote.
        var resized = await EventuallyAsync(() => DescribeAsync(ns, claims[0]), text => text.Contains("FileSystemResizeSuccessful", StringComparison.Ordinal));
        Assert.Matches(@"Capacity:\s+8Gi", resized);
        Assert.Matches(@"Normal\s+FileSystemResizeSuccessful\s+.*MountVolume\.NodeExpandVolume succeeded for volume ""pvc-[^""]+"" \S+", resized);
        var status = await JsonPathAsync(ns, "pvc/" + claims[0], "{.status.allocatedResources.storage} [{.status.allocatedResourceStatuses}] [{.status.conditions}]");
        Assert.Equal("8Gi [] []", status);
        Assert.Matches(@"Normal\s+Resizing\s+.*External resizer is resizing volume pvc-", resized);
        Assert.Matches(@"Normal\s+FileSystemResizeRequired\s+.*Require file system resize of volume on node", resized);
        var shrink = await Kubectl.RunAsync("patch", "pvc", claims[0], "-n", ns, "-p", """{"spec":{"resources":{"requests":{"storage":"1Gi"}}}}""");
        Assert.NotEqual(0, shrink.ExitCode);
        Assert.Contains("spec.resources.requests.storage: Forbidden: field can not be less than previous value", shrink.Stderr, StringComparison.Ordinal);

        // Delete (the class's policy): the set, then its claims, and the volumes and their directories go.
        (await Kubectl.RunAsync("delete", "statefulset", Set, "-n", ns, "--timeout=90s")).EnsureSuccess();
        (await Kubectl.RunAsync("delete", "pvc", "--all", "-n", ns, "--timeout=90s")).EnsureSuccess();
        var left = await EventuallyAsync(() => Task.FromResult(string.Join(' ', directories.Where(Directory.Exists))), text => text.Length == 0);
        Assert.True(left.Length == 0, "directories left after their claims were deleted: " + left);
        await DeleteNamespaceAsync(ns);
    }

    [SkippableFact]
    public async Task Classes_ListedWithTheDefault_AnUnknownClassAndAnUnconsumedClaimWaitWithUpstreamsEvents()
    {
        var ns = await StartAsync();
        var classes = (await Kubectl.RunAsync("get", "sc")).EnsureSuccess().Stdout;
        Assert.Matches(@"(?m)^local-path \(default\)\s+timonel\.io/local-path\s+Delete\s+WaitForFirstConsumer\s+true\s+", classes);
        foreach (var alias in new[] { "do-block-storage", "default", "managed-csi", "gp2", "gp3", "standard", "standard-rwo" })
        {
            Assert.Matches($@"(?m)^{alias}\s+timonel\.io/local-path\s+Delete\s+WaitForFirstConsumer\s+true\s+", classes);
        }

        (await Kubectl.RunWithInputAsync(Claim("unknown", "no-such-class", "ReadWriteOnce") + "\n---\n" + Claim("unused", "local-path", "ReadWriteOnce"), "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        var failed = await EventuallyAsync(() => DescribeAsync(ns, "unknown"), text => text.Contains("ProvisioningFailed", StringComparison.Ordinal));
        Assert.Matches(@"Status:\s+Pending", failed);
        Assert.Matches(@"Warning\s+ProvisioningFailed\s+.*storageclass\.storage\.k8s\.io ""no-such-class"" not found", failed);
        var waiting = await EventuallyAsync(() => DescribeAsync(ns, "unused"), text => text.Contains("WaitForFirstConsumer", StringComparison.Ordinal));
        Assert.Matches(@"Status:\s+Pending", waiting);
        Assert.Matches(@"Normal\s+WaitForFirstConsumer\s+.*waiting for first consumer to be created before binding", waiting);
        await DeleteNamespaceAsync(ns);
    }

    [SkippableFact]
    public async Task ReadWriteOncePodClaim_ASecondPodIsUnschedulable_RetainKeepsTheDirectoryOfTheReleasedVolume()
    {
        var ns = await StartAsync();
        var keep = "keep-" + ns;
        (await Kubectl.RunWithInputAsync(
            $"""
            apiVersion: storage.k8s.io/v1
            kind: StorageClass
            metadata:
              name: {keep}
            provisioner: timonel.io/local-path
            reclaimPolicy: Retain
            volumeBindingMode: WaitForFirstConsumer
            ---
            {Claim("solo", keep, "ReadWriteOncePod")}
            ---
            {PodUsing("first", "solo")}
            ---
            {PodUsing("second", "solo")}
            """,
            "apply",
            "-n",
            ns,
            "-f",
            "-")).EnsureSuccess();

        await WaitAsync(ns, "pvc/solo", "jsonpath={.status.phase}=Bound");
        var running = await EventuallyAsync(
            async () => (await Kubectl.RunAsync("get", "pods", "-n", ns, "-o", "jsonpath={range .items[*]}{.metadata.name}={.status.phase} {end}")).EnsureSuccess().Stdout,
            text => text.Contains("=Running", StringComparison.Ordinal));
        var (winner, loser) = running.Contains("first=Running", StringComparison.Ordinal) ? ("first", "second") : ("second", "first");
        var unschedulable = await EventuallyAsync(
            () => JsonPathAsync(ns, "pod/" + loser, "{.status.conditions[?(@.type==\"PodScheduled\")].message}"),
            text => text.Length > 0);
        Assert.Contains("node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode", unschedulable, StringComparison.Ordinal);

        // Retain: the claim gone, the volume is Released and its directory kept.
        var volume = await JsonPathAsync(ns, "pvc/solo", "{.spec.volumeName}");
        var directory = await DirectoryOfAsync(ns, "solo");
        (await Kubectl.RunAsync("delete", "pod", winner, loser, "-n", ns, "--grace-period=1", "--timeout=60s")).EnsureSuccess();
        (await Kubectl.RunAsync("delete", "pvc", "solo", "-n", ns, "--timeout=60s")).EnsureSuccess();
        var released = await Kubectl.RunAsync("wait", "pv/" + volume, "--for=jsonpath={.status.phase}=Released", "--timeout=60s");
        Assert.True(released.ExitCode == 0, released.ToString());
        Assert.True(Directory.Exists(directory), directory + " was removed under Retain");

        (await Kubectl.RunAsync("delete", "pv/" + volume, "sc/" + keep)).EnsureSuccess();
        Directory.Delete(directory, recursive: true);
        await DeleteNamespaceAsync(ns);
    }

    private static string Claim(string name, string storageClass, string accessMode) => $"""
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata:
          name: {name}
        spec:
          storageClassName: {storageClass}
          accessModes: [{accessMode}]
          resources:
            requests:
              storage: 1Gi
        """;

    private static string PodUsing(string name, string claim) => $"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {name}
        spec:
          terminationGracePeriodSeconds: 1
          containers:
          - name: main
            image: busybox
            imagePullPolicy: IfNotPresent
            command: ["sleep", "3600"]
            volumeMounts:
            - name: data
              mountPath: /data
          volumes:
          - name: data
            persistentVolumeClaim:
              claimName: {claim}
        """;

    private async Task<string> StartAsync()
    {
        Skip.If(_node.SkipReason is not null, _node.SkipReason);
        return await _node.CreateNamespaceAsync();
    }

    /// <summary>The node directory behind a bound claim: its volume's hostPath.</summary>
    private async Task<string> DirectoryOfAsync(string ns, string claim)
    {
        var volume = await JsonPathAsync(ns, "pvc/" + claim, "{.spec.volumeName}");
        return (await Kubectl.RunAsync("get", "pv", volume, "-o", "jsonpath={.spec.hostPath.path}")).EnsureSuccess().Stdout;
    }

    private async Task<string> JsonPathAsync(string ns, string target, string path) =>
        (await Kubectl.RunAsync("get", target, "-n", ns, "-o", "jsonpath=" + path)).EnsureSuccess().Stdout;

    private async Task<string> DescribeAsync(string ns, string claim) =>
        (await Kubectl.RunAsync("describe", "pvc", claim, "-n", ns)).EnsureSuccess().Stdout;

    private async Task WaitAsync(string ns, string target, string condition, string timeout = "60s")
    {
        var result = await Kubectl.RunAsync("wait", "-n", ns, target, "--for=" + condition, "--timeout=" + timeout);
        Assert.True(result.ExitCode == 0, $"{target} not {condition}: {result}\n{await StateAsync(ns)}");
    }

    private async Task RolloutAsync(string ns, string workload)
    {
        var result = await Kubectl.RunAsync("rollout", "status", workload, "-n", ns, "--timeout=120s");
        Assert.True(result.ExitCode == 0, $"{workload} not rolled out: {result}\n{await StateAsync(ns)}");
    }

    /// <summary>The claims, volumes, pods and events of the namespace, and the server's last lines, for a failed wait.</summary>
    private async Task<string> StateAsync(string ns)
    {
        var claims = await Kubectl.RunAsync("describe", "pvc", "-n", ns);
        var pods = await Kubectl.RunAsync("describe", "pods", "-n", ns);
        var volumes = await Kubectl.RunAsync("get", "pv");
        var events = await Kubectl.RunAsync("get", "events", "-n", ns, "--sort-by=.lastTimestamp");
        return $"--- claims\n{claims.Stdout}\n--- pods\n{pods.Stdout}\n--- volumes\n{volumes.Stdout}\n--- events\n{events.Stdout}\n--- server\n{string.Join('\n', _node.Server.Output.Split('\n').TakeLast(100))}";
    }

    private async Task DeleteNamespaceAsync(string ns) =>
        (await Kubectl.RunAsync("delete", "namespace", ns, "--wait=false")).EnsureSuccess();

    private static Task<string> EventuallyAsync(Func<Task<string>> read, Func<string, bool> check) => Eventually.ReadAsync(read, check);
}
