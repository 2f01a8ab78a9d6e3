using Timonel.Agent.Containerd.Registries;
using Timonel.Agent.Kubelet.Cri.V1;
using Timonel.Testing.Cri;

namespace Timonel.Agent.Tests.Containerd.Registries;

public sealed class MirroredImageServiceTests : IDisposable
{
    private readonly string _certsDir = Path.Combine(Path.GetTempPath(), "certs-" + Guid.NewGuid().ToString("N"));
    private readonly FakeContainerRuntime _runtime = new();

    public void Dispose()
    {
        if (Directory.Exists(_certsDir))
        {
            Directory.Delete(_certsDir, recursive: true);
        }
    }

    private (MirroredImageService Service, FakeImageNames Names) Create(string yaml)
    {
        var registries = RegistriesFile.Parse(yaml);
        var names = new FakeImageNames(_runtime);
        return (new MirroredImageService(_runtime, registries, new RegistryHostsDirectory(_certsDir, registries), names), names);
    }

    [Fact]
    public async Task PullImageAsync_Rewritten_PullsTheRewrittenPathAndKeepsOnlyTheOriginalName()
    {
        var (service, names) = Create("mirrors:\n  docker.io:\n    endpoint: [\"http://127.0.0.1:5000\"]\n    rewrite: {\"^library/(.*)\": \"mirrorlib/$1\"}\n");
        _runtime.RegistryImages.Add("docker.io/mirrorlib/nginx:alpine");

        var imageRef = await service.PullImageAsync(new ImageSpec { Image = "nginx:alpine" }, null, null, CancellationToken.None);

        Assert.Contains("PullImage docker.io/mirrorlib/nginx:alpine", _runtime.Calls);
        Assert.DoesNotContain("PullImage docker.io/library/nginx:alpine", _runtime.Calls);
        var image = await service.ImageStatusAsync(new ImageSpec { Image = "nginx:alpine" }, CancellationToken.None);
        Assert.Equal(imageRef, image?.Id);
        Assert.Equal(["docker.io/library/nginx:alpine"], image!.RepoTags);
        Assert.Equal(["tag docker.io/mirrorlib/nginx:alpine docker.io/library/nginx:alpine", "rm docker.io/mirrorlib/nginx:alpine"], names.Calls);
    }

    [Fact]
    public async Task PullImageAsync_RewrittenNameAlreadyPresent_KeepsIt()
    {
        var (service, names) = Create("mirrors:\n  docker.io:\n    endpoint: [\"http://127.0.0.1:5000\"]\n    rewrite: {\"^library/(.*)\": \"mirrorlib/$1\"}\n");
        _runtime.RegistryImages.Add("docker.io/mirrorlib/busybox:latest");
        _runtime.AddImage("docker.io/mirrorlib/busybox:latest");

        await service.PullImageAsync(new ImageSpec { Image = "busybox" }, null, null, CancellationToken.None);

        Assert.NotNull(await service.ImageStatusAsync(new ImageSpec { Image = "docker.io/mirrorlib/busybox:latest" }, CancellationToken.None));
        Assert.DoesNotContain(names.Calls, call => call.StartsWith("rm ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PullImageAsync_HostOnlyTheWildcardMirrors_GetsItsHostsTomlBeforeThePull()
    {
        var (service, names) = Create("mirrors:\n  \"*\":\n    endpoint: [\"http://127.0.0.1:5000\"]\n");
        _runtime.RegistryImages.Add("registry.example.test/team/app:1");

        await service.PullImageAsync(new ImageSpec { Image = "registry.example.test/team/app:1" }, null, null, CancellationToken.None);

        Assert.Contains("server = \"http://127.0.0.1:5000\"", File.ReadAllText(Path.Combine(_certsDir, "registry.example.test", "hosts.toml")));
        Assert.Contains("PullImage registry.example.test/team/app:1", _runtime.Calls);
        Assert.Empty(names.Calls);
    }

    [Fact]
    public async Task PullImageAsync_RewrittenPullFails_FailsWithTheRuntimesErrorAndNamesNothing()
    {
        var (service, names) = Create("mirrors:\n  docker.io:\n    endpoint: [\"http://127.0.0.1:5000\"]\n    rewrite: {\"^library/(.*)\": \"mirrorlib/$1\"}\n");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => service.PullImageAsync(new ImageSpec { Image = "nginx:alpine" }, null, null, CancellationToken.None));

        Assert.Contains("docker.io/mirrorlib/nginx:alpine: not found", error.Message);
        Assert.Empty(names.Calls);
    }
}
