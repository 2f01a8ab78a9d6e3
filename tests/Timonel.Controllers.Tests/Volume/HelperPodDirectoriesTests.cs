using System.Net;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using Timonel.Controllers.Volume;
using Timonel.Testing.Api;

namespace Timonel.Controllers.Tests.Volume;

public sealed class HelperPodDirectoriesTests : IDisposable
{
    private const string PodPath = "/api/v1/namespaces/kube-system/pods/helper-pod-delete-pvc-1234";
    private const string VolumePath = "/var/lib/timonel/storage/pvc-1234_shop_data";
    private readonly FakeApiServer _api = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly HelperPodDirectories _directories;

    public HelperPodDirectoriesTests()
    {
        _directories = new HelperPodDirectories(_api.Client, "busybox", _time);

        // The API server answers a pod's deletion with the pod.
        foreach (var action in new[] { "create", "delete" })
        {
            _api.Answer(HttpMethod.Delete, "/api/v1/namespaces/kube-system/pods/helper-pod-" + action + "-pvc-1234", HttpStatusCode.OK, Pod("Succeeded"));
        }
    }

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task DeleteAsync_RunsRmOnTheNodeInAPodMountingTheStorageDirectory_ThenDeletesThePod()
    {
        _api.Answer(HttpMethod.Get, PodPath, HttpStatusCode.OK, Pod("Succeeded"));

        await _directories.DeleteAsync("node-b", VolumePath, CancellationToken.None);

        Assert.Equal(["DELETE " + PodPath, "POST /api/v1/namespaces/kube-system/pods", "GET " + PodPath, "DELETE " + PodPath], _api.Calls);
        var pod = _api.Requests[1].BodyAs<V1Pod>();
        Assert.Equal("node-b", pod.Spec.NodeName);
        Assert.Equal("Never", pod.Spec.RestartPolicy);
        Assert.Equal("Exists", Assert.Single(pod.Spec.Tolerations).OperatorProperty);
        var container = Assert.Single(pod.Spec.Containers);
        Assert.Equal("busybox", container.Image);
        Assert.Equal(["sh", "-c", "rm -rf \"$1\"", "helper", VolumePath], container.Command);
        var mount = Assert.Single(container.VolumeMounts);
        Assert.Equal("/var/lib/timonel/storage", mount.MountPath);
        Assert.Equal("/var/lib/timonel/storage", Assert.Single(pod.Spec.Volumes).HostPath.Path);
    }

    [Fact]
    public async Task CreateAsync_MakesTheDirectoryOpenToAll()
    {
        _api.Answer(HttpMethod.Get, "/api/v1/namespaces/kube-system/pods/helper-pod-create-pvc-1234", HttpStatusCode.OK, Pod("Succeeded"));

        await _directories.CreateAsync("node-b", VolumePath, CancellationToken.None);

        var pod = _api.Requests.Single(r => r.Method == "POST").BodyAs<V1Pod>();
        Assert.Equal("helper-pod-create-pvc-1234", pod.Metadata.Name);
        Assert.Contains("mkdir -m 0777 -p", Assert.Single(pod.Spec.Containers).Command[2]);
    }

    [Fact]
    public async Task DeleteAsync_WhenThePodFails_ThrowsWithItsExitCodeAndMessage_AndDeletesThePod()
    {
        var failed = Pod("Failed");
        failed.Status.ContainerStatuses = [new V1ContainerStatus { Name = "helper-pod", State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 1, Message = "rm: can't remove 'x': Read-only file system" } } }];
        _api.Answer(HttpMethod.Get, PodPath, HttpStatusCode.OK, failed);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => _directories.DeleteAsync("node-b", VolumePath, CancellationToken.None));

        Assert.Equal($"helper pod kube-system/helper-pod-delete-pvc-1234 failed on node node-b for {VolumePath}: exit code 1: rm: can't remove 'x': Read-only file system", e.Message);
        Assert.Equal("DELETE " + PodPath, _api.Calls[^1]);
    }

    [Fact]
    public async Task DeleteAsync_WhenThePodNeverFinishes_GivesUpAfterTheTimeout()
    {
        var pending = Pod("Pending");
        pending.Status.ContainerStatuses = [new V1ContainerStatus { Name = "helper-pod", State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "ErrImageNeverPull" } } }];
        _api.Answer(HttpMethod.Get, PodPath, HttpStatusCode.OK, pending);

        var deleting = _directories.DeleteAsync("node-b", VolumePath, CancellationToken.None);
        while (!deleting.IsCompleted)
        {
            _time.Advance(TimeSpan.FromSeconds(10));
            await Task.Yield();
        }

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => deleting);
        Assert.Equal("helper pod kube-system/helper-pod-delete-pvc-1234 did not finish on node node-b within 120s (phase Pending, ErrImageNeverPull)", e.Message);
    }

    private static V1Pod Pod(string phase) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta { Name = "helper-pod", NamespaceProperty = "kube-system" },
        Status = new V1PodStatus { Phase = phase },
    };
}
