using k8s.Models;
using Timonel.Agent.Kubelet.Volumes;
using static Timonel.Agent.Tests.Kubelet.Volumes.VolumeManagerFixture;
using static Timonel.Agent.Tests.Kubelet.Volumes.VolumeTestPods;

namespace Timonel.Agent.Tests.Kubelet.Volumes;

public sealed class ConfigMapAndSecretVolumeTests : IDisposable
{
    private const UnixFileMode Mode644 = (UnixFileMode)0b110_100_100;
    private readonly VolumeManagerFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task ConfigMap_EveryKeyIsAFileOfMode0644UnderThePodsDirectory()
    {
        _fixture.Objects.Add(ConfigMap("game-demo", ("player_initial_lives", "3"), ("game.properties", "enemy.types=aliens")));
        var pod = With(new V1Volume { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = "game-demo" } });

        var volume = await _fixture.MountOneAsync(pod);

        Assert.Equal(Path.Combine(_fixture.Root.Path, "pods", pod.Metadata.Uid, "volumes", "kubernetes.io~configmap", "config"), volume.HostPath);
        Assert.True(volume.ReadOnly);
        Assert.Equal(["game.properties", "player_initial_lives"], VisibleNames(volume));
        Assert.Equal("3", Read(volume, "player_initial_lives"));
        Assert.Equal(Mode644, ModeOf(volume, "game.properties"));
    }

    [Fact]
    public async Task ConfigMap_ItemsChooseKeysPathsAndModes()
    {
        _fixture.Objects.Add(ConfigMap("game-demo", ("a", "1"), ("b", "2"), ("c", "3")));
        var pod = With(new V1Volume
        {
            Name = "config",
            ConfigMap = new V1ConfigMapVolumeSource
            {
                Name = "game-demo",
                DefaultMode = 0b100_000_000,
                Items = [new V1KeyToPath { Key = "a", Path = "dir/first" }, new V1KeyToPath { Key = "b", Path = "second", Mode = 0b111_101_101 }],
            },
        });

        var volume = await _fixture.MountOneAsync(pod);

        Assert.Equal(["dir", "second"], VisibleNames(volume));
        Assert.Equal("1", Read(volume, "dir/first"));
        Assert.Equal((UnixFileMode)0b100_000_000, ModeOf(volume, "dir/first"));
        Assert.Equal((UnixFileMode)0b111_101_101, ModeOf(volume, "second"));
    }

    [Fact]
    public async Task ConfigMap_Missing_FailsWithTheKubeletsMessage()
    {
        var pod = With(new V1Volume { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = "absent" } });

        var e = await _fixture.MountFailsAsync(pod);

        Assert.Equal("config", e.Volume);
        Assert.Equal("configmap \"absent\" not found", e.Message);
    }

    [Fact]
    public async Task ConfigMap_MissingButOptional_IsAnEmptyVolume()
    {
        var pod = With(new V1Volume { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = "absent", Optional = true } });

        var volume = await _fixture.MountOneAsync(pod);

        Assert.True(Directory.Exists(volume.HostPath));
        Assert.Empty(VisibleNames(volume));
    }

    [Fact]
    public async Task ConfigMap_MissingKey_FailsUnlessOptional()
    {
        _fixture.Objects.Add(ConfigMap("game-demo", ("a", "1")));
        var items = new List<V1KeyToPath> { new() { Key = "a", Path = "a" }, new() { Key = "nope", Path = "nope" } };
        var strict = With(new V1Volume { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = "game-demo", Items = items } });
        var optional = With(new V1Volume { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = "game-demo", Items = items, Optional = true } });

        var e = await _fixture.MountFailsAsync(strict);
        var volume = await _fixture.MountOneAsync(optional);

        Assert.Equal("configmap references non-existent config key: nope", e.Message);
        Assert.Equal(["a"], VisibleNames(volume));
    }

    [Fact]
    public async Task ConfigMap_BinaryDataIsWrittenAsIs()
    {
        var configMap = ConfigMap("bin");
        configMap.BinaryData = new Dictionary<string, byte[]> { ["blob"] = [0, 1, 2, 255] };
        _fixture.Objects.Add(configMap);

        var volume = await _fixture.MountOneAsync(With(new V1Volume { Name = "bin", ConfigMap = new V1ConfigMapVolumeSource { Name = "bin" } }));

        Assert.Equal(new byte[] { 0, 1, 2, 255 }, File.ReadAllBytes(Path.Combine(volume.HostPath, "blob")));
    }

    [Fact]
    public async Task ConfigMap_Refresh_SwapsInTheUpdateAndDropsRemovedKeys()
    {
        _fixture.Objects.Add(ConfigMap("game-demo", ("lives", "3"), ("old", "x")));
        var pod = With(new V1Volume { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = "game-demo" } });
        var volume = await _fixture.MountOneAsync(pod);
        var dataBefore = new FileInfo(Path.Combine(volume.HostPath, "..data")).LinkTarget;

        _fixture.Objects.Add(ConfigMap("game-demo", ("lives", "5")));
        await _fixture.Manager.RefreshAsync(pod, CancellationToken.None);

        Assert.Equal("5", Read(volume, "lives"));
        Assert.Equal(["lives"], VisibleNames(volume));
        Assert.NotEqual(dataBefore, new FileInfo(Path.Combine(volume.HostPath, "..data")).LinkTarget);
    }

    [Fact]
    public async Task ConfigMap_DeletedWhileMounted_KeepsItsContentsAndReportsTheFailure()
    {
        _fixture.Objects.Add(ConfigMap("game-demo", ("lives", "3")));
        var pod = With(new V1Volume { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = "game-demo" } });
        var volume = await _fixture.MountOneAsync(pod);

        _fixture.Objects.RemoveConfigMap("game", "game-demo");
        var e = await Assert.ThrowsAsync<VolumeSetupException>(() => _fixture.Manager.RefreshAsync(pod, CancellationToken.None));

        Assert.Equal("configmap \"game-demo\" not found", e.Message);
        Assert.Equal("3", Read(volume, "lives"));
    }

    [Fact]
    public async Task Secret_KeysAreDecodedFiles()
    {
        _fixture.Objects.Add(Secret("db", ("username", "admin"), ("password", "s3cr3t")));
        var pod = With(new V1Volume { Name = "creds", Secret = new V1SecretVolumeSource { SecretName = "db", DefaultMode = 0b100_000_000 } });

        var volume = await _fixture.MountOneAsync(pod);

        Assert.EndsWith("/kubernetes.io~secret/creds", volume.HostPath);
        Assert.Equal("admin", Read(volume, "username"));
        Assert.Equal((UnixFileMode)0b100_000_000, ModeOf(volume, "password"));
    }

    [Fact]
    public async Task Secret_MissingOrMissingKey_FailsWithTheKubeletsMessages()
    {
        _fixture.Objects.Add(Secret("db", ("username", "admin")));
        var missing = With(new V1Volume { Name = "creds", Secret = new V1SecretVolumeSource { SecretName = "absent" } });
        var missingKey = With(new V1Volume { Name = "creds", Secret = new V1SecretVolumeSource { SecretName = "db", Items = [new V1KeyToPath { Key = "token", Path = "token" }] } });

        Assert.Equal("secret \"absent\" not found", (await _fixture.MountFailsAsync(missing)).Message);
        Assert.Equal("references non-existent secret key: token", (await _fixture.MountFailsAsync(missingKey)).Message);
    }
}
