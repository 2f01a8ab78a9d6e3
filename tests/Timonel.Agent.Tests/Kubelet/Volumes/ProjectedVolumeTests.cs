using k8s.Models;
using Timonel.Agent.Kubelet.Volumes;
using static Timonel.Agent.Tests.Kubelet.Volumes.VolumeManagerFixture;
using static Timonel.Agent.Tests.Kubelet.Volumes.VolumeTestPods;

namespace Timonel.Agent.Tests.Kubelet.Volumes;

public sealed class ProjectedVolumeTests : IDisposable
{
    private readonly VolumeManagerFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task KubeApiAccess_HasTokenCaAndNamespace()
    {
        _fixture.Objects.Add(ConfigMap("kube-root-ca.crt", ("ca.crt", "-----BEGIN CERTIFICATE-----")));
        var pod = With(KubeApiAccess());

        var volume = await _fixture.MountOneAsync(pod);

        Assert.EndsWith("/kubernetes.io~projected/kube-api-access-x7k2p", volume.HostPath);
        Assert.True(volume.ReadOnly);
        Assert.Equal(["ca.crt", "namespace", "token"], VisibleNames(volume));
        Assert.Equal("token-1", Read(volume, "token"));
        Assert.Equal("-----BEGIN CERTIFICATE-----", Read(volume, "ca.crt"));
        Assert.Equal("game", Read(volume, "namespace"));
        Assert.Equal((UnixFileMode)0b110_100_100, ModeOf(volume, "token"));
    }

    [Fact]
    public async Task Token_IsAskedForThePodsAccountBoundToThePod()
    {
        var pod = With(new V1Volume
        {
            Name = "vault",
            Projected = new V1ProjectedVolumeSource
            {
                Sources = [new V1VolumeProjection { ServiceAccountToken = new V1ServiceAccountTokenProjection { Audience = "vault", Path = "vault-token" } }],
            },
        });

        await _fixture.MountOneAsync(pod);

        var (ns, account, request) = Assert.Single(_fixture.Objects.TokenRequests);
        Assert.Equal(("game", "runner"), (ns, account));
        Assert.Equal(["vault"], request.Spec.Audiences);
        Assert.Equal(3600, request.Spec.ExpirationSeconds);
        Assert.Equal(("Pod", "game", pod.Metadata.Uid), (request.Spec.BoundObjectRef.Kind, request.Spec.BoundObjectRef.Name, request.Spec.BoundObjectRef.Uid));
    }

    [Fact]
    public async Task Token_IsRenewedOnceEightyPercentOfItsLifetimeHasPassed()
    {
        _fixture.Objects.Add(ConfigMap("kube-root-ca.crt", ("ca.crt", "ca")));
        var pod = With(KubeApiAccess());
        var volume = await _fixture.MountOneAsync(pod);

        // 3607 s: 80% is 2885.6 s; the token manager's jitter brings a refresh at most 10 s earlier.
        _fixture.Clock.Advance(TimeSpan.FromSeconds(2860));
        await _fixture.Manager.RefreshAsync(pod, CancellationToken.None);
        var beforeDue = Read(volume, "token");
        _fixture.Clock.Advance(TimeSpan.FromSeconds(30));
        await _fixture.Manager.RefreshAsync(pod, CancellationToken.None);

        Assert.Equal("token-1", beforeDue);
        Assert.Equal("token-2", Read(volume, "token"));
    }

    [Fact]
    public async Task MissingConfigMapSource_FailsUnlessOptional()
    {
        var strict = With(Projected(new V1VolumeProjection { ConfigMap = new V1ConfigMapProjection { Name = "absent" } }));
        var optional = With(Projected(
            new V1VolumeProjection { Secret = new V1SecretProjection { Name = "absent", Optional = true } },
            new V1VolumeProjection { DownwardAPI = new V1DownwardAPIProjection { Items = [new V1DownwardAPIVolumeFile { Path = "name", FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } }] } }));

        Assert.Equal("configmap \"absent\" not found", (await _fixture.MountFailsAsync(strict)).Message);
        Assert.Equal(["name"], VisibleNames(await _fixture.MountOneAsync(optional)));
    }

    [Fact]
    public async Task Sources_AreMergedWithTheVolumesDefaultMode()
    {
        _fixture.Objects.Add(ConfigMap("settings", ("mode", "fast")));
        _fixture.Objects.Add(Secret("keys", ("api", "k")));
        var volume = Projected(
            new V1VolumeProjection { ConfigMap = new V1ConfigMapProjection { Name = "settings" } },
            new V1VolumeProjection { Secret = new V1SecretProjection { Name = "keys", Items = [new V1KeyToPath { Key = "api", Path = "secret/api", Mode = 0b100_000_000 }] } });
        volume.Projected.DefaultMode = 0b110_000_000;

        var mounted = await _fixture.MountOneAsync(With(volume));

        Assert.Equal("fast", Read(mounted, "mode"));
        Assert.Equal("k", Read(mounted, "secret/api"));
        Assert.Equal((UnixFileMode)0b110_000_000, ModeOf(mounted, "mode"));
        Assert.Equal((UnixFileMode)0b100_000_000, ModeOf(mounted, "secret/api"));
    }

    [SkippableFact]
    public async Task FsGroup_OwnsTheFilesAndTheTokenIsGroupReadableOnly()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "giving files another group needs root");
        _fixture.Objects.Add(ConfigMap("kube-root-ca.crt", ("ca.crt", "ca")));
        var pod = With(KubeApiAccess());
        pod.Spec.SecurityContext = new V1PodSecurityContext { FsGroup = 2000 };

        var volume = await _fixture.MountOneAsync(pod);

        Assert.Equal((UnixFileMode)0b110_100_000, ModeOf(volume, "token"));
        Assert.Equal((UnixFileMode)0b110_100_100, ModeOf(volume, "ca.crt"));
        Assert.Equal(2000, GroupOf(Path.Combine(volume.HostPath, "..data", "token")));
    }

    private static int GroupOf(string path)
    {
        var stat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-L", "-c", "%g", path]) { RedirectStandardOutput = true })!;
        var output = stat.StandardOutput.ReadToEnd();
        stat.WaitForExit();
        return int.Parse(output.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    // What the API server's ServiceAccount admission adds (ServiceAccountAdmission.TokenVolumeSource).
    private static V1Volume KubeApiAccess() => new()
    {
        Name = "kube-api-access-x7k2p",
        Projected = new V1ProjectedVolumeSource
        {
            DefaultMode = 420,
            Sources =
            [
                new V1VolumeProjection { ServiceAccountToken = new V1ServiceAccountTokenProjection { ExpirationSeconds = 3607, Path = "token" } },
                new V1VolumeProjection { ConfigMap = new V1ConfigMapProjection { Name = "kube-root-ca.crt", Items = [new V1KeyToPath { Key = "ca.crt", Path = "ca.crt" }] } },
                new V1VolumeProjection { DownwardAPI = new V1DownwardAPIProjection { Items = [new V1DownwardAPIVolumeFile { Path = "namespace", FieldRef = new V1ObjectFieldSelector { ApiVersion = "v1", FieldPath = "metadata.namespace" } }] } },
            ],
        },
    };

    private static V1Volume Projected(params V1VolumeProjection[] sources) =>
        new() { Name = "all", Projected = new V1ProjectedVolumeSource { Sources = sources } };
}
