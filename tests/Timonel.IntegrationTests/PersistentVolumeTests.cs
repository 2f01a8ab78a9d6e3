namespace Timonel.IntegrationTests;

/// <summary>
/// The persistent volume controller and the scheduler's volume plugins on an in-process cluster with simulated
/// nodes, through the real kubectl: static binding, the Retain policy, WaitForFirstConsumer with a provisioner,
/// expansion (a simulated node never finishes its part), and pods whose claims are missing.
/// </summary>
public sealed class PersistentVolumeTests : IClassFixture<VolumeClusterFixture>
{
    private readonly VolumeClusterFixture _fixture;

    public PersistentVolumeTests(VolumeClusterFixture fixture) => _fixture = fixture;

    private Kubectl Kubectl => _fixture.Kubectl;

    [SkippableFact]
    public async Task CreateClaimAndMatchingVolume_BothBoundWithTheAnnotationsThenReleasedOnDelete()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await _fixture.Cluster.CreateNamespaceAsync("pv");
        var pv = "pv-" + ns;
        (await Kubectl.RunWithInputAsync(Volume(pv, "2Gi", "") + "---\n" + Claim("data", "1Gi", ""), "apply", "-n", ns, "-f", "-")).EnsureSuccess();

        var bound = await SimulatedClusterFixture.WaitAsync(Kubectl, "pvc/data", "--for=jsonpath={.status.phase}=Bound", ns);
        var volumeBound = await SimulatedClusterFixture.WaitAsync(Kubectl, "pv/" + pv, "--for=jsonpath={.status.phase}=Bound");
        var claimAnnotations = (await Kubectl.RunAsync("get", "pvc", "data", "-n", ns, "-o", "jsonpath={.metadata.annotations} {.metadata.finalizers}")).EnsureSuccess().Stdout;
        var volumeAnnotations = (await Kubectl.RunAsync("get", "pv", pv, "-o", "jsonpath={.metadata.annotations} {.spec.claimRef.namespace}/{.spec.claimRef.name}")).EnsureSuccess().Stdout;
        var claims = (await Kubectl.RunAsync("get", "pvc", "-n", ns)).EnsureSuccess().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var volumes = (await Kubectl.RunAsync("get", "pv", pv)).EnsureSuccess().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.True(bound.ExitCode == 0, bound.ToString());
        Assert.True(volumeBound.ExitCode == 0, volumeBound.ToString());
        Assert.Contains("\"pv.kubernetes.io/bind-completed\":\"yes\"", claimAnnotations, StringComparison.Ordinal);
        Assert.Contains("\"pv.kubernetes.io/bound-by-controller\":\"yes\"", claimAnnotations, StringComparison.Ordinal);
        Assert.Contains("kubernetes.io/pvc-protection", claimAnnotations, StringComparison.Ordinal);
        Assert.Contains("\"pv.kubernetes.io/bound-by-controller\":\"yes\"", volumeAnnotations, StringComparison.Ordinal);
        Assert.EndsWith($" {ns}/data", volumeAnnotations, StringComparison.Ordinal);
        Assert.Matches(@"^NAME\s+STATUS\s+VOLUME\s+CAPACITY\s+ACCESS MODES\s+STORAGECLASS\s+VOLUMEATTRIBUTESCLASS\s+AGE$", claims[0]);
        Assert.Matches($@"^data\s+Bound\s+{pv}\s+2Gi\s+RWO\s+<unset>\s+\S+$", claims[1]);
        Assert.Matches(@"^NAME\s+CAPACITY\s+ACCESS MODES\s+RECLAIM POLICY\s+STATUS\s+CLAIM\s+STORAGECLASS\s+VOLUMEATTRIBUTESCLASS\s+REASON\s+AGE$", volumes[0]);
        Assert.Matches($@"^{pv}\s+2Gi\s+RWO\s+Retain\s+Bound\s+{ns}/data\s+<unset>\s+\S+$", volumes[1]);

        // Retain: once the claim is gone the volume is Released and kept, still naming its old claim.
        (await Kubectl.RunAsync("delete", "pvc", "data", "-n", ns, "--wait=true", "--timeout=60s")).EnsureSuccess();
        var released = await SimulatedClusterFixture.WaitAsync(Kubectl, "pv/" + pv, "--for=jsonpath={.status.phase}=Released");

        Assert.True(released.ExitCode == 0, released.ToString());
        (await Kubectl.RunAsync("delete", "pv", pv, "--wait=true", "--timeout=60s")).EnsureSuccess();
    }

    [SkippableFact]
    public async Task StatefulSetClaimOfAMissingClass_PendingUntilAMatchingVolumeIsMadeThenItsPodRuns()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await _fixture.Cluster.CreateNamespaceAsync("sts");
        const string claim = "csi-pvc-my-csi-app-set-0";

        // The claim examples/05-statefulset.yaml's template makes for its pod 0.
        (await Kubectl.RunWithInputAsync(Claim(claim, "5Gi", "do-block-storage"), "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        var failed = await SimulatedClusterFixture.EventuallyAsync(
            async () => (await Kubectl.RunAsync("get", "events", "-n", ns, "--field-selector", "involvedObject.name=" + claim, "-o", "jsonpath={range .items[*]}{.reason}: {.message}{\"\\n\"}{end}")).EnsureSuccess().Stdout,
            text => text.Contains("ProvisioningFailed", StringComparison.Ordinal));
        var phase = (await Kubectl.RunAsync("get", "pvc", claim, "-n", ns, "-o", "jsonpath={.status.phase}")).EnsureSuccess().Stdout;

        Assert.Equal("Pending", phase);
        Assert.Contains("ProvisioningFailed: storageclass.storage.k8s.io \"do-block-storage\" not found", failed, StringComparison.Ordinal);

        // A pod using it waits; a volume of that class made by hand binds the claim, and the pod runs.
        (await Kubectl.RunWithInputAsync(PodUsing("my-csi-app-set-0", claim), "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        var waiting = await SimulatedClusterFixture.EventuallyAsync(
            async () => (await Kubectl.RunAsync("get", "pod", "my-csi-app-set-0", "-n", ns, "-o", "jsonpath={.status.conditions[?(@.type==\"PodScheduled\")].message}")).EnsureSuccess().Stdout,
            text => text.Length > 0);
        Assert.Contains("pod has unbound immediate PersistentVolumeClaims", waiting, StringComparison.Ordinal);

        var pv = "pv-" + ns;
        (await Kubectl.RunWithInputAsync(Volume(pv, "5Gi", "do-block-storage"), "apply", "-f", "-")).EnsureSuccess();
        var bound = await SimulatedClusterFixture.WaitAsync(Kubectl, "pvc/" + claim, "--for=jsonpath={.status.phase}=Bound", ns);
        var running = await SimulatedClusterFixture.WaitAsync(Kubectl, "pod/my-csi-app-set-0", "--for=jsonpath={.status.phase}=Running", ns);

        Assert.True(bound.ExitCode == 0, bound.ToString());
        Assert.True(running.ExitCode == 0, running.ToString());
        (await Kubectl.RunAsync("delete", "namespace", ns, "--wait=false")).EnsureSuccess();
    }

    [SkippableFact]
    public async Task WaitForFirstConsumerClaim_PendingUntilAPodUsesItThenProvisionedOnThePodsNode()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await _fixture.Cluster.CreateNamespaceAsync("wffc");
        var storageClass = "local-" + ns;
        (await Kubectl.RunWithInputAsync(
            $"""
            apiVersion: storage.k8s.io/v1
            kind: StorageClass
            metadata:
              name: {storageClass}
            provisioner: {HostPathTestProvisioner.Name}
            volumeBindingMode: WaitForFirstConsumer
            reclaimPolicy: Delete
            """,
            "apply",
            "-f",
            "-")).EnsureSuccess();
        (await Kubectl.RunWithInputAsync(Claim("data", "1Gi", storageClass), "apply", "-n", ns, "-f", "-")).EnsureSuccess();

        var waiting = await SimulatedClusterFixture.EventuallyAsync(
            async () => (await Kubectl.RunAsync("describe", "pvc", "data", "-n", ns)).EnsureSuccess().Stdout,
            text => text.Contains("WaitForFirstConsumer", StringComparison.Ordinal));
        Assert.Matches(@"Status:\s+Pending", waiting);
        Assert.Matches(@"Normal\s+WaitForFirstConsumer\s+.*persistentvolume-controller\s+waiting for first consumer to be created before binding", waiting);

        (await Kubectl.RunWithInputAsync(PodUsing("web", "data"), "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        var bound = await SimulatedClusterFixture.WaitAsync(Kubectl, "pvc/data", "--for=jsonpath={.status.phase}=Bound", ns);
        var running = await SimulatedClusterFixture.WaitAsync(Kubectl, "pod/web", "--for=jsonpath={.status.phase}=Running", ns);
        var node = (await Kubectl.RunAsync("get", "pod", "web", "-n", ns, "-o", "jsonpath={.spec.nodeName}")).EnsureSuccess().Stdout;
        var claim = (await Kubectl.RunAsync("get", "pvc", "data", "-n", ns, "-o", "jsonpath={.metadata.uid} {.spec.volumeName} {.metadata.annotations.volume\\.kubernetes\\.io/selected-node} {.metadata.annotations.volume\\.kubernetes\\.io/storage-provisioner}")).EnsureSuccess().Stdout.Split(' ');
        var volume = (await Kubectl.RunAsync("get", "pv", claim[1], "-o", "jsonpath={.metadata.annotations.pv\\.kubernetes\\.io/provisioned-by} {.spec.persistentVolumeReclaimPolicy} {.spec.nodeAffinity.required.nodeSelectorTerms[0].matchFields[0].values[0]}")).EnsureSuccess().Stdout;
        var events = (await Kubectl.RunAsync("describe", "pvc", "data", "-n", ns)).EnsureSuccess().Stdout;

        Assert.True(bound.ExitCode == 0, bound.ToString());
        Assert.True(running.ExitCode == 0, running.ToString());
        Assert.Equal("pvc-" + claim[0], claim[1]);
        Assert.Equal([node, HostPathTestProvisioner.Name], claim[2..]);
        Assert.Equal($"{HostPathTestProvisioner.Name} Delete {node}", volume);
        Assert.Matches($@"Normal\s+ProvisioningSucceeded\s+.*Successfully provisioned volume {claim[1]}", events);

        // Delete: the pod, then the claim (its protection lets go once the pod is gone), then the volume goes too.
        (await Kubectl.RunAsync("delete", "pod", "web", "-n", ns, "--grace-period=0", "--force")).EnsureSuccess();
        (await Kubectl.RunAsync("delete", "pvc", "data", "-n", ns, "--wait=true", "--timeout=60s")).EnsureSuccess();
        var gone = await SimulatedClusterFixture.WaitAsync(Kubectl, "pv/" + claim[1], "--for=delete");

        Assert.True(gone.ExitCode == 0, gone.ToString());
    }

    [SkippableFact]
    public async Task PodWithAMissingClaim_IsUnschedulableNamingTheClaim()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await _fixture.Cluster.CreateNamespaceAsync("nopvc");

        (await Kubectl.RunWithInputAsync(PodUsing("web", "nope"), "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        var message = await SimulatedClusterFixture.EventuallyAsync(
            async () => (await Kubectl.RunAsync("get", "pod", "web", "-n", ns, "-o", "jsonpath={.status.conditions[?(@.type==\"PodScheduled\")].reason}: {.status.conditions[?(@.type==\"PodScheduled\")].message}")).EnsureSuccess().Stdout,
            text => text.Length > 2);

        Assert.StartsWith("Unschedulable: 0/3 nodes are available: persistentvolumeclaim \"nope\" not found.", message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ClaimEditedLarger_VolumeGrowsAndTheClaimWaitsForTheNode_ShrinkingAndFixedClassesRefused()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await _fixture.Cluster.CreateNamespaceAsync("grow");
        var expandable = "grow-" + ns;
        var fixedSize = "fixed-" + ns;
        (await Kubectl.RunWithInputAsync(Class(expandable, allowVolumeExpansion: true) + "---\n" + Class(fixedSize, allowVolumeExpansion: false), "apply", "-f", "-")).EnsureSuccess();
        (await Kubectl.RunWithInputAsync(Claim("data", "1Gi", expandable) + "---\n" + Claim("rigid", "1Gi", fixedSize), "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        (await Kubectl.RunWithInputAsync(PodUsing("web", "data") + "---\n" + PodUsing("app", "rigid"), "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        Assert.Equal(0, (await SimulatedClusterFixture.WaitAsync(Kubectl, "pvc/data", "--for=jsonpath={.status.phase}=Bound", ns)).ExitCode);
        Assert.Equal(0, (await SimulatedClusterFixture.WaitAsync(Kubectl, "pvc/rigid", "--for=jsonpath={.status.phase}=Bound", ns)).ExitCode);

        (await Kubectl.RunAsync("patch", "pvc", "data", "-n", ns, "-p", """{"spec":{"resources":{"requests":{"storage":"3Gi"}}}}""")).EnsureSuccess();
        var pending = await SimulatedClusterFixture.WaitAsync(Kubectl, "pvc/data", "--for=condition=FileSystemResizePending", ns);
        var volume = (await Kubectl.RunAsync("get", "pvc", "data", "-n", ns, "-o", "jsonpath={.spec.volumeName}")).EnsureSuccess().Stdout;
        var capacities = (await Kubectl.RunAsync("get", "pv", volume, "-o", "jsonpath={.spec.capacity.storage} {.metadata.annotations.volume\\.alpha\\.kubernetes\\.io/pre-resize-capacity}")).EnsureSuccess().Stdout;
        var described = (await Kubectl.RunAsync("describe", "pvc", "data", "-n", ns)).EnsureSuccess().Stdout;

        Assert.True(pending.ExitCode == 0, pending.ToString());
        Assert.Equal("3Gi 1Gi", capacities);
        Assert.Matches(@"Capacity:\s+1Gi", described);
        Assert.Matches(@"Normal\s+Resizing\s+.*External resizer is resizing volume " + volume, described);
        Assert.Matches(@"Normal\s+FileSystemResizeRequired\s+.*Require file system resize of volume on node", described);

        var shrink = await Kubectl.RunAsync("patch", "pvc", "data", "-n", ns, "-p", """{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}""");
        var rigid = await Kubectl.RunAsync("patch", "pvc", "rigid", "-n", ns, "-p", """{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}""");

        Assert.Contains("spec.resources.requests.storage: Forbidden: field can not be less than previous value", shrink.Stderr, StringComparison.Ordinal);
        Assert.Contains("persistentvolumeclaims \"rigid\" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize", rigid.Stderr, StringComparison.Ordinal);
        (await Kubectl.RunAsync("delete", "namespace", ns, "--wait=false")).EnsureSuccess();
    }

    private static string Class(string name, bool allowVolumeExpansion) => $"""
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata:
          name: {name}
        provisioner: {HostPathTestProvisioner.Name}
        volumeBindingMode: WaitForFirstConsumer
        allowVolumeExpansion: {(allowVolumeExpansion ? "true" : "false")}

        """;

    private static string Volume(string name, string size, string storageClass) => $"""
        apiVersion: v1
        kind: PersistentVolume
        metadata:
          name: {name}
        spec:
          capacity:
            storage: {size}
          accessModes: [ReadWriteOnce]
          storageClassName: "{storageClass}"
          hostPath:
            path: /tmp/{name}

        """;

    private static string Claim(string name, string size, string storageClass) => $"""
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata:
          name: {name}
        spec:
          accessModes: [ReadWriteOnce]
          storageClassName: "{storageClass}"
          resources:
            requests:
              storage: {size}

        """;

    private static string PodUsing(string name, string claim) => $"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {name}
        spec:
          containers:
          - name: app
            image: busybox
            volumeMounts:
            - name: data
              mountPath: /data
          volumes:
          - name: data
            persistentVolumeClaim:
              claimName: {claim}

        """;
}
