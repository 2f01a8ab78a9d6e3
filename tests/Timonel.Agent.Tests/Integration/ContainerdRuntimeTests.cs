using System.Net;
using System.Text;
using Timonel.Agent.Containerd;
using Timonel.Agent.Containerd.Images;
using Timonel.Agent.Kubelet;
using Timonel.Agent.Kubelet.Cri.V1;

namespace Timonel.Agent.Tests.Integration;

/// <summary>The kubelet's CRI calls against the agent's own containerd, runc and CNI bridge (root only).</summary>
[Trait("Category", "Integration")]
public sealed class ContainerdRuntimeTests(ContainerdFixture fixture) : IClassFixture<ContainerdFixture>
{
    private static readonly CancellationToken _none = CancellationToken.None;

    [SkippableFact]
    public async Task Version_IsContainerdSpeakingCriV1()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);

        var version = await fixture.Containerd.Runtime.VersionAsync(_none);

        Assert.Equal("containerd", version.RuntimeName);
        Assert.Equal("v1", version.RuntimeApiVersion);
    }

    [SkippableFact]
    public void Status_BeforeTheCniNetworkListExists_NetworkIsNotReady()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);

        Assert.False(fixture.NetworkBeforeCniConfig?.Status);
    }

    [SkippableFact]
    public async Task ContainerdKilled_IsStartedAgainAndAnswers()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        var process = fixture.Containerd.Process!;
        var first = process.ProcessId!.Value;

        System.Diagnostics.Process.GetProcessById(first).Kill();
        for (var attempt = 0; attempt < 600 && (process.ProcessId ?? first) == first; attempt++)
        {
            await Task.Delay(100);
        }

        var version = await Timonel.Agent.Kubelet.Cri.CriConnection.WaitForVersionAsync(fixture.Containerd.Runtime, ContainerdProcess.StartTimeout, _none);

        Assert.Equal("containerd", version.RuntimeName);
        Assert.NotEqual(first, process.ProcessId);
        Assert.Equal(1, process.Restarts);
    }

    [SkippableFact]
    public async Task AirGapImages_AreImportedAtStart_AndNotImportedAgain()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);

        var tags = (await fixture.Containerd.Runtime.ListImagesAsync(_none)).SelectMany(i => i.RepoTags).ToList();

        Assert.Contains(TestImageTarballs.Busybox, tags);
        Assert.Contains(TestImageTarballs.Pause, tags);
        var again = new AirGapImages(fixture.Paths.ImagesDir, fixture.Paths.ImportRecordFile, fixture.Containerd.Importer, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        Assert.Empty(await again.ImportAsync(_none));
    }

    [SkippableFact]
    public async Task Import_GzipTarball_NamesTheImageItHeld()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        var gzipped = Path.Combine(fixture.Root, "busybox.tar.gz");
        await using (var target = File.Create(gzipped))
        await using (var gzip = new System.IO.Compression.GZipStream(target, System.IO.Compression.CompressionLevel.Fastest))
        await using (var source = File.OpenRead(Path.Combine(fixture.Paths.ImagesDir, "busybox.tar")))
        {
            await source.CopyToAsync(gzip);
        }

        var names = await fixture.Containerd.Importer.ImportAsync(gzipped, _none);

        Assert.Equal([TestImageTarballs.Busybox], names);
    }

    [SkippableFact]
    public async Task Import_NotAnImageTarball_IsAClearError()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        var junk = Path.Combine(fixture.Root, "junk.tar");
        await File.WriteAllTextAsync(junk, "not a tar");

        var error = await Assert.ThrowsAsync<ImageImportException>(() => fixture.Containerd.Importer.ImportAsync(junk, _none));

        Assert.StartsWith($"{junk}: import failed:", error.Message);
    }

    [SkippableFact]
    public async Task ImageStatus_MissingImage_IsNull()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);

        Assert.Null(await fixture.Containerd.Runtime.ImageStatusAsync(new ImageSpec { Image = "example.com/absent:1" }, _none));
        Assert.NotNull(await fixture.Containerd.Runtime.ImageStatusAsync(new ImageSpec { Image = TestImageTarballs.Busybox }, _none));
    }

    [SkippableFact]
    public async Task StatusCalls_OnGoneObjects_AreNull_AndStopRemoveSucceed()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        var runtime = fixture.Containerd.Runtime;

        Assert.Null(await runtime.PodSandboxStatusAsync("0123456789abcdef", _none));
        Assert.Null(await runtime.ContainerStatusAsync("0123456789abcdef", _none));
        await runtime.StopContainerAsync("0123456789abcdef", 1, _none);
        await runtime.RemoveContainerAsync("0123456789abcdef", _none);
        await runtime.StopPodSandboxAsync("0123456789abcdef", _none);
        await runtime.RemovePodSandboxAsync("0123456789abcdef", _none);
    }

    [SkippableFact]
    public async Task PodLifecycle_SandboxOnTheBridge_ContainerRunsExecsStopsAndIsRemoved()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        var runtime = fixture.Containerd.Runtime;
        CniConfig.Write(fixture.Containerd.CniConfDir, fixture.PodCidr, fixture.Bridge, Path.Combine(fixture.Root, "ipam"));
        var network = await fixture.WaitForConditionAsync("NetworkReady", true);
        Assert.True(network?.Status, $"NetworkReady stayed false: {network?.Reason} {network?.Message}");
        Assert.True((await fixture.WaitForConditionAsync("RuntimeReady", true))?.Status);

        var sandboxConfig = SandboxConfig("lifecycle");
        var sandboxId = await runtime.RunPodSandboxAsync(sandboxConfig, "", _none);
        var sandbox = await runtime.PodSandboxStatusAsync(sandboxId, _none);
        Assert.Equal(PodSandboxState.SandboxReady, sandbox!.State);
        Assert.True(IPNetwork.Parse(fixture.PodCidr).Contains(IPAddress.Parse(sandbox.Network.Ip)), $"pod IP {sandbox.Network.Ip} outside {fixture.PodCidr}");

        var containerConfig = new ContainerConfig
        {
            Metadata = new ContainerMetadata { Name = "sleeper" },
            Image = new ImageSpec { Image = TestImageTarballs.Busybox },
            Command = { "sleep", "3600" },
            LogPath = "sleeper/0.log",
            Labels = { [KubeletLabels.ContainerName] = "sleeper" },
        };
        var containerId = await runtime.CreateContainerAsync(sandboxId, containerConfig, sandboxConfig, _none);
        await runtime.StartContainerAsync(containerId, _none);
        Assert.Equal(ContainerState.ContainerRunning, (await runtime.ContainerStatusAsync(containerId, _none))!.State);
        Assert.Contains(await runtime.ListContainersAsync(new ContainerFilter { PodSandboxId = sandboxId }, _none), c => c.Id == containerId);

        var exec = await runtime.ExecSyncAsync(containerId, ["echo", "hi"], TimeSpan.FromSeconds(10), _none);
        Assert.Equal(0, exec.ExitCode);
        Assert.Equal("hi\n", Encoding.UTF8.GetString(exec.Stdout.Span));
        var failing = await runtime.ExecSyncAsync(containerId, ["sh", "-c", "exit 3"], TimeSpan.FromSeconds(10), _none);
        Assert.Equal(3, failing.ExitCode);

        await runtime.StopContainerAsync(containerId, 1, _none);
        Assert.Equal(ContainerState.ContainerExited, (await runtime.ContainerStatusAsync(containerId, _none))!.State);
        await runtime.RemoveContainerAsync(containerId, _none);
        Assert.Null(await runtime.ContainerStatusAsync(containerId, _none));

        await runtime.StopPodSandboxAsync(sandboxId, _none);
        Assert.Equal(PodSandboxState.SandboxNotready, (await runtime.PodSandboxStatusAsync(sandboxId, _none))!.State);
        await runtime.RemovePodSandboxAsync(sandboxId, _none);
        Assert.Null(await runtime.PodSandboxStatusAsync(sandboxId, _none));
    }

    [SkippableFact]
    public async Task CreateContainer_UnknownImage_IsACriExceptionNamingTheCall()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        var runtime = fixture.Containerd.Runtime;
        CniConfig.Write(fixture.Containerd.CniConfDir, fixture.PodCidr, fixture.Bridge, Path.Combine(fixture.Root, "ipam"));
        Assert.True((await fixture.WaitForConditionAsync("NetworkReady", true))?.Status);
        var sandboxConfig = SandboxConfig("missing-image");
        var sandboxId = await runtime.RunPodSandboxAsync(sandboxConfig, "", _none);
        try
        {
            var config = new ContainerConfig { Metadata = new ContainerMetadata { Name = "x" }, Image = new ImageSpec { Image = "example.com/absent:1" }, LogPath = "x/0.log" };

            var error = await Assert.ThrowsAsync<Timonel.Agent.Kubelet.Cri.CriException>(() => runtime.CreateContainerAsync(sandboxId, config, sandboxConfig, _none));

            Assert.StartsWith("CRI CreateContainer:", error.Message);
        }
        finally
        {
            await runtime.StopPodSandboxAsync(sandboxId, _none);
            await runtime.RemovePodSandboxAsync(sandboxId, _none);
        }
    }

    private PodSandboxConfig SandboxConfig(string name)
    {
        var uid = Guid.NewGuid().ToString();
        var logs = Path.Combine(fixture.Root, "pods", uid);
        Directory.CreateDirectory(logs);
        return new PodSandboxConfig
        {
            Metadata = new PodSandboxMetadata { Name = name, Namespace = "default", Uid = uid },
            Hostname = name,
            LogDirectory = logs,
            Labels = { [KubeletLabels.PodName] = name, [KubeletLabels.PodNamespace] = "default", [KubeletLabels.PodUid] = uid },
            Linux = new LinuxPodSandboxConfig { SecurityContext = new LinuxSandboxSecurityContext { NamespaceOptions = new NamespaceOption() } },
        };
    }
}
