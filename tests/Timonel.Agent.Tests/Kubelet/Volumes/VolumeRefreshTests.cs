using k8s.Models;
using static Timonel.Agent.Tests.Kubelet.Volumes.VolumeManagerFixture;
using static Timonel.Agent.Tests.Kubelet.Volumes.VolumeTestPods;

namespace Timonel.Agent.Tests.Kubelet.Volumes;

public sealed class VolumeRefreshTests : IDisposable
{
    private readonly VolumeManagerFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task Run_RefreshesMountedPodsEachPeriod()
    {
        _fixture.Objects.Add(Secret("db", ("password", "old")));
        var pod = With(new V1Volume { Name = "creds", Secret = new V1SecretVolumeSource { SecretName = "db" } });
        var volume = await _fixture.MountOneAsync(pod);
        using var stop = new CancellationTokenSource();
        var running = _fixture.Manager.RunAsync(stop.Token);

        _fixture.Objects.Add(Secret("db", ("password", "new")));
        var seen = await AdvanceUntilAsync(() => Read(volume, "password") == "new");
        await stop.CancelAsync();
        await running;

        Assert.True(seen, "the secret's update never reached the volume");
    }

    [Fact]
    public async Task Refresh_OfAPodNotMounted_DoesNothing()
    {
        _fixture.Objects.Add(ConfigMap("game-demo", ("lives", "3")));
        var pod = With(new V1Volume { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = "game-demo" } });

        await _fixture.Manager.RefreshAsync(pod, CancellationToken.None);

        Assert.False(Directory.Exists(Path.Combine(_fixture.Root.Path, "pods", pod.Metadata.Uid)));
    }

    // The loop waits on the fake clock: move it a period (at most 1.5 × 20 s) at a time until the condition holds.
    private async Task<bool> AdvanceUntilAsync(Func<bool> condition)
    {
        for (var attempt = 0; attempt < 200 && !condition(); attempt++)
        {
            _fixture.Clock.Advance(TimeSpan.FromSeconds(30));
            await Task.Delay(20);
        }

        return condition();
    }
}
