using k8s.Models;
using static Timonel.Agent.Tests.Kubelet.Volumes.VolumeManagerFixture;
using static Timonel.Agent.Tests.Kubelet.Volumes.VolumeTestPods;

namespace Timonel.Agent.Tests.Kubelet.Volumes;

public sealed class DownwardApiVolumeTests : IDisposable
{
    private readonly VolumeManagerFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task FieldRefs_ShowThePodsMetadataAsTheKubeletFormatsIt()
    {
        var pod = With(Downward(
            Field("name", "metadata.name"),
            Field("namespace", "metadata.namespace"),
            Field("uid", "metadata.uid"),
            Field("labels", "metadata.labels"),
            Field("annotations", "metadata.annotations"),
            Field("app", "metadata.labels['app']")));

        var volume = await _fixture.MountOneAsync(pod);

        Assert.EndsWith("/kubernetes.io~downward-api/podinfo", volume.HostPath);
        Assert.Equal("game", Read(volume, "name"));
        Assert.Equal(pod.Metadata.Uid, Read(volume, "uid"));
        Assert.Equal("app=\"game\"\ntier=\"web\"", Read(volume, "labels"));
        Assert.Equal("note=\"say \\\"hi\\\"\"", Read(volume, "annotations"));
        Assert.Equal("game", Read(volume, "app"));
    }

    [Fact]
    public async Task ResourceFieldRefs_DivideAndRoundUp_AndUnsetLimitsAreTheNodesAllocatable()
    {
        var pod = With(Downward(
            Resource("mem_limit_mi", "limits.memory", "1Mi"),
            Resource("cpu_request_m", "requests.cpu", "1m"),
            Resource("cpu_request", "requests.cpu", null),
            Resource("cpu_limit", "limits.cpu", null)));

        var volume = await _fixture.MountOneAsync(pod);

        Assert.Equal("64", Read(volume, "mem_limit_mi"));
        Assert.Equal("250", Read(volume, "cpu_request_m"));
        Assert.Equal("1", Read(volume, "cpu_request"));
        Assert.Equal("4", Read(volume, "cpu_limit"));
    }

    [Fact]
    public async Task Refresh_FollowsLabelChanges()
    {
        var pod = With(Downward(Field("labels", "metadata.labels")));
        var volume = await _fixture.MountOneAsync(pod);

        pod.Metadata.Labels["tier"] = "db";
        await _fixture.Manager.RefreshAsync(pod, CancellationToken.None);

        Assert.Equal("app=\"game\"\ntier=\"db\"", Read(volume, "labels"));
    }

    [Fact]
    public async Task UnknownFieldOrContainer_FailsTheVolume()
    {
        var field = With(Downward(Field("ip", "status.podIP")));
        var container = With(Downward(new V1DownwardAPIVolumeFile { Path = "x", ResourceFieldRef = new V1ResourceFieldSelector { ContainerName = "ghost", Resource = "limits.cpu" } }));

        Assert.Equal("unsupported fieldPath: status.podIP", (await _fixture.MountFailsAsync(field)).Message);
        Assert.Equal("container ghost not found", (await _fixture.MountFailsAsync(container)).Message);
    }

    private static V1Volume Downward(params V1DownwardAPIVolumeFile[] items) =>
        new() { Name = "podinfo", DownwardAPI = new V1DownwardAPIVolumeSource { Items = items } };

    private static V1DownwardAPIVolumeFile Field(string path, string fieldPath) =>
        new() { Path = path, FieldRef = new V1ObjectFieldSelector { FieldPath = fieldPath } };

    private static V1DownwardAPIVolumeFile Resource(string path, string resource, string? divisor) =>
        new() { Path = path, ResourceFieldRef = new V1ResourceFieldSelector { ContainerName = "app", Resource = resource, Divisor = divisor is null ? null : new ResourceQuantity(divisor) } };
}
