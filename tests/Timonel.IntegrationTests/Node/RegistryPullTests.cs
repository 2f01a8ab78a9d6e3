using System.Diagnostics;

namespace Timonel.IntegrationTests.Node;

/// <summary>
/// Pulls on the shared real node through its registries.yaml (<see cref="TestImageRegistry"/>): a rewritten path, the
/// "*" mirror, and a registry over TLS with basic auth, its credentials from registries.yaml or from a pod's
/// imagePullSecrets, and a wrong password failing with the registry's answer.
/// </summary>
[Collection(RealNodeCollection.Name)]
public sealed class RegistryPullTests
{
    private readonly RealNodeFixture _node;
    private readonly RealNodePods _pods;

    public RegistryPullTests(RealNodeFixture node)
    {
        _node = node;
        _pods = new RealNodePods(node);
    }

    private TestImageRegistry Registry => _node.Registry;

    [SkippableFact]
    public async Task Rewrite_ImagePushedUnderTheRewrittenPath_RunsUnderItsOriginalName()
    {
        var ns = await _pods.StartAsync();
        // The registry holds library/busybox only; the rewrite turns e2e-rewritten/busybox into it.
        var image = $"{TestImageRegistry.RewriteHost}/{TestImageRegistry.RewrittenPrefix}/busybox:latest";

        await RunAsync(ns, "rewritten", image);

        // The pod's status shows the runtime's first name of the image, and every busybox name is one image here:
        // containerd's own list says which names it has.
        var names = await NodeImageNamesAsync();
        Assert.Contains($"Pulled: Successfully pulled image \"{image}\"", await _pods.EventMessagesAsync(ns, "rewritten"), StringComparison.Ordinal);
        Assert.Contains(image, names);
        Assert.DoesNotContain($"{TestImageRegistry.RewriteHost}/library/busybox:latest", names);
        await _pods.DeleteNamespaceAsync(ns);
    }

    [SkippableTheory]
    [InlineData("wildcard mirror")]
    [InlineData("registries.yaml credentials")]
    public async Task RegistriesYaml_HostServedAsConfigured_PodRuns(string through)
    {
        var ns = await _pods.StartAsync();
        // The "*" mirror serves a host registries.yaml does not name; the authenticated registry takes the file's credentials.
        var image = through == "wildcard mirror"
            ? $"{TestImageRegistry.UnnamedHost}/library/busybox:latest"
            : $"{_node.Registry.AuthenticatedHost}/library/busybox:latest";

        await RunAsync(ns, "pulled", image);

        Assert.Equal("true", await _pods.ReadAsync(ns, "pod", "pulled", "jsonpath={.status.containerStatuses[0].ready}"));
        await _pods.DeleteNamespaceAsync(ns);
    }

    [SkippableFact]
    public async Task AuthenticatedRegistry_ImagePullSecret_Pulls()
    {
        var ns = await _pods.StartAsync();
        await CreatePullSecretAsync(ns, "regcred", Registry.Password);

        await RunAsync(ns, "secret-credentials", $"{Registry.AuthenticatedHostByName}/google-samples/hello-app:1.0", pullSecret: "regcred", command: "");

        Assert.Equal("true", await _pods.ReadAsync(ns, "pod", "secret-credentials", "jsonpath={.status.containerStatuses[0].ready}"));
        await _pods.DeleteNamespaceAsync(ns);
    }

    [SkippableFact]
    public async Task AuthenticatedRegistry_WrongPassword_ImagePullBackOffWithTheRegistrysAnswer()
    {
        var ns = await _pods.StartAsync();
        await CreatePullSecretAsync(ns, "wrong", "not-the-password");
        await RunAsync(ns, "denied", $"{Registry.AuthenticatedHostByName}/google-samples/hello-app:2.0", pullSecret: "wrong", command: "", waitReady: false);

        var reason = await RealNodePods.EventuallyAsync(
            () => _pods.ReadAsync(ns, "pod", "denied", "jsonpath={.status.containerStatuses[0].state.waiting.reason}"),
            value => value is "ErrImagePull" or "ImagePullBackOff");
        var events = await _pods.EventMessagesAsync(ns, "denied");

        Assert.Contains(reason, new[] { "ErrImagePull", "ImagePullBackOff" });
        Assert.Contains("Failed: Failed to pull image", events, StringComparison.Ordinal);
        Assert.Contains("401 Unauthorized", events, StringComparison.Ordinal);
        await _pods.DeleteNamespaceAsync(ns);
    }

    /// <summary>The names of the images the node's containerd holds for the CRI, as <c>crictl images</c> lists them.</summary>
    private static async Task<string[]> NodeImageNamesAsync()
    {
        var start = new ProcessStartInfo("ctr", ["--address", Path.Combine(RealNodePrerequisites.RunDir, "containerd.sock"), "--namespace", "k8s.io", "images", "ls", "-q"])
        {
            RedirectStandardOutput = true,
        };
        using var ctr = Process.Start(start)!;
        var output = await ctr.StandardOutput.ReadToEndAsync();
        await ctr.WaitForExitAsync();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private async Task CreatePullSecretAsync(string ns, string name, string password) =>
        (await _pods.Kubectl.RunAsync(
            "create", "secret", "docker-registry", name, "-n", ns,
            "--docker-server=" + Registry.AuthenticatedHostByName,
            "--docker-username=" + TestImageRegistry.Username,
            "--docker-password=" + password)).EnsureSuccess();

    /// <summary>A pod of one container pulled with imagePullPolicy Always (so the registry is asked even when the node has the image).</summary>
    private Task RunAsync(string ns, string name, string image, string? pullSecret = null, string command = "command: [\"sleep\", \"3600\"]", bool waitReady = true) =>
        _pods.ApplyPodAsync(ns, name, $$"""
            {{(pullSecret is null ? "" : $"imagePullSecrets:\n- name: {pullSecret}")}}
            containers:
            - name: main
              image: {{image}}
              imagePullPolicy: Always
              {{command}}
            """, waitReady: waitReady);
}
