using Timonel.Testing.Containerd;
using Timonel.Testing.Images;
using Timonel.Testing.Tools;

namespace Timonel.IntegrationTests;

/// <summary>
/// The test image kit built once for a test class into a directory of its own by tests/images/build.sh, and, where
/// this machine can run containers, imported into a throwaway containerd.
/// </summary>
public sealed class TestImageKitFixture : IAsyncLifetime
{
    private ThrowawayContainerd? _containerd;

    /// <summary>Why the kit cannot be built here, or null when it can.</summary>
    public string? BuildSkipReason { get; } = TestImageKit.UnavailableReason(ServerProcess.RepoRoot);

    /// <summary>Why the images cannot be run here, or null when they can.</summary>
    public string? RunSkipReason => BuildSkipReason ?? ThrowawayContainerd.UnavailableReason;

    /// <summary>The directory holding the built tarballs.</summary>
    public string ImagesDirectory { get; } = Path.Combine(Path.GetTempPath(), $"timonel-images-{Guid.NewGuid():N}");

    public ThrowawayContainerd Containerd => _containerd ?? throw new InvalidOperationException(RunSkipReason ?? "containerd not started");

    public string PathOf(KitImage image) => Path.Combine(ImagesDirectory, image.FileName);

    /// <summary>Runs build.sh into a directory with any further arguments.</summary>
    public Task<ToolResult> BuildAsync(string directory, params string[] arguments) =>
        TestImageKit.BuildAsync(ServerProcess.RepoRoot!, directory, arguments);

    public async Task InitializeAsync()
    {
        if (BuildSkipReason is not null)
        {
            return;
        }

        (await BuildAsync(ImagesDirectory)).EnsureSuccess();
        if (RunSkipReason is not null)
        {
            return;
        }

        _containerd = await ThrowawayContainerd.StartAsync();
        foreach (var image in KitImage.All)
        {
            (await _containerd.CtrAsync("images", "import", PathOf(image))).EnsureSuccess();
        }
    }

    public async Task DisposeAsync()
    {
        if (_containerd is not null)
        {
            await _containerd.DisposeAsync();
        }

        if (Directory.Exists(ImagesDirectory))
        {
            Directory.Delete(ImagesDirectory, recursive: true);
        }
    }
}
