namespace Timonel.IntegrationTests.Node;

/// <summary>
/// local-path volumes on a node that joined a server running none (<c>timonel server --disable-agent</c> and a
/// separate <c>timonel agent</c>): the volume's directory is made and removed on that node by helper pods the
/// controller manager runs there, so deleting the claim removes the directory of a node the server cannot reach.
/// </summary>
public sealed class JoinedNodeStorageTests : IClassFixture<JoinedNodeFixture>
{
    private readonly JoinedNodeFixture _node;

    public JoinedNodeStorageTests(JoinedNodeFixture node) => _node = node;

    private Kubectl Kubectl => _node.Kubectl;

    [SkippableFact]
    public async Task Claim_OnTheJoinedNode_ItsDirectoryIsMadeThereAndRemovedWithTheClaim()
    {
        Skip.If(_node.SkipReason is not null, _node.SkipReason);
        var ns = await _node.CreateNamespaceAsync();
        (await Kubectl.RunWithInputAsync(
            """
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata:
              name: data
            spec:
              accessModes: [ReadWriteOnce]
              resources:
                requests:
                  storage: 1Gi
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: writer
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: main
                image: busybox
                imagePullPolicy: IfNotPresent
                command: ["sh", "-c", "echo written on the node > /data/file; sleep 3600"]
                volumeMounts:
                - name: data
                  mountPath: /data
              volumes:
              - name: data
                persistentVolumeClaim:
                  claimName: data
            """,
            "apply",
            "-n",
            ns,
            "-f",
            "-")).EnsureSuccess();
        var ready = await Kubectl.RunAsync("wait", "pod/writer", "-n", ns, "--for=condition=Ready", "--timeout=180s");
        Assert.True(ready.ExitCode == 0, $"{ready}\n{await StateAsync(ns)}");

        var volume = (await Kubectl.RunAsync("get", "pvc", "data", "-n", ns, "-o", "jsonpath={.spec.volumeName}")).EnsureSuccess().Stdout;
        var directory = (await Kubectl.RunAsync("get", "pv", volume, "-o", "jsonpath={.spec.hostPath.path}")).EnsureSuccess().Stdout;
        var node = (await Kubectl.RunAsync("get", "pv", volume, "-o", "jsonpath={.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0]}")).EnsureSuccess().Stdout;
        Assert.Equal(_node.NodeName, node);
        Assert.Equal("written on the node\n", await Eventually.ReadAsync(() => ReadIfPresentAsync(Path.Combine(directory, "file")), text => text.Length > 0));
        Assert.Equal((UnixFileMode)0b111_111_111, File.GetUnixFileMode(directory));
        Assert.Contains("Started", await HelperEventsAsync("create", volume), StringComparison.Ordinal);

        (await Kubectl.RunAsync("delete", "pod", "writer", "-n", ns, "--timeout=60s")).EnsureSuccess();
        (await Kubectl.RunAsync("delete", "pvc", "data", "-n", ns, "--timeout=60s")).EnsureSuccess();
        var gone = await Kubectl.RunAsync("wait", "pv/" + volume, "--for=delete", "--timeout=120s");
        Assert.True(gone.ExitCode == 0, $"{gone}\n{(await Kubectl.RunAsync("describe", "pv", volume)).Stdout}\n{await StateAsync(ns)}");
        Assert.False(Directory.Exists(directory), directory + " is left after its claim was deleted");
        Assert.Contains("Started", await HelperEventsAsync("delete", volume), StringComparison.Ordinal);

        // The helper pods are deleted once done.
        var helpers = await Eventually.ReadAsync(
            async () => (await Kubectl.RunAsync("get", "pods", "-n", "kube-system", "-l", "app=local-path-provisioner-helper", "-o", "name")).EnsureSuccess().Stdout,
            text => text.Length == 0);
        Assert.Equal("", helpers);
        await Kubectl.RunAsync("delete", "namespace", ns, "--wait=false");
    }

    private static async Task<string> ReadIfPresentAsync(string file) => File.Exists(file) ? await File.ReadAllTextAsync(file) : "";

    /// <summary>The reasons of the kubelet's events about a helper pod (they outlive the pod).</summary>
    private Task<string> HelperEventsAsync(string action, string volume) =>
        Eventually.ReadAsync(
            async () => (await Kubectl.RunAsync("get", "events", "-n", "kube-system", "--field-selector", $"involvedObject.name=helper-pod-{action}-{volume}", "-o", "jsonpath={.items[*].reason}")).EnsureSuccess().Stdout,
            text => text.Contains("Started", StringComparison.Ordinal));

    private async Task<string> StateAsync(string ns)
    {
        var claims = await Kubectl.RunAsync("describe", "pvc", "-n", ns);
        var pods = await Kubectl.RunAsync("describe", "pods", "-n", ns);
        var helpers = await Kubectl.RunAsync("get", "events", "-n", "kube-system");
        return $"--- claims\n{claims.Stdout}\n--- pods\n{pods.Stdout}\n--- kube-system events\n{helpers.Stdout}\n{_node.Output}";
    }
}
