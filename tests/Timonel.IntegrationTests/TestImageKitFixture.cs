using Timonel.Testing.Containerd;
using Timonel.Testing.Tools;

namespace Timonel.IntegrationTests;

/// <summary>
/// The test image kit built once for a test class into a temporary directory by tests/images/build.sh, and, where
/// this machine can run containers, imported into a throwaway containerd.
/// </summary>
public sealed class TestImageKitFixture : IAsyncLifetime
{
    private static readonly TimeSpan _buildTimeout = TimeSpan.FromMinutes(5);

    // What build.sh reads from the machine, with the Debian package that installs it.
    private static readonly (string File, string Package)[] _buildInputs =
    [
        ("/bin/busybox", "busybox-static"),
        ("/usr/sbin/nginx", "nginx-light"),
        ("/usr/bin/gcc", "gcc"),
        ("/usr/include/stdio.h", "libc6-dev"),
    ];

    private ThrowawayContainerd? _containerd;

    /// <summary>Why the kit cannot be built here, or null when it can.</summary>
    public string? BuildSkipReason { get; } = FindBuildSkipReason();

    /// <summary>Why the images cannot be run here, or null when they can.</summary>
    public string? RunSkipReason => BuildSkipReason ?? ThrowawayContainerd.UnavailableReason;

    public string BuildScript => Path.Combine(ServerProcess.RepoRoot!, "tests", "images", "build.sh");

    /// <summary>The directory holding the built tarballs.</summary>
    public string ImagesDirectory { get; } = Path.Combine(Path.GetTempPath(), $"timonel-images-{Guid.NewGuid():N}");

    public ToolResult? FirstBuild { get; private set; }

    public ThrowawayContainerd Containerd => _containerd ?? throw new InvalidOperationException(RunSkipReason ?? "containerd not started");

    public string PathOf(KitImage image) => Path.Combine(ImagesDirectory, image.FileName);

    /// <summary>Runs build.sh with these arguments.</summary>
    public Task<ToolResult> BuildAsync(params string[] arguments) => Tool.RunAsync("/bin/bash", [BuildScript, .. arguments], _buildTimeout);

    public async Task InitializeAsync()
    {
        if (BuildSkipReason is not null)
        {
            return;
        }

        FirstBuild = (await BuildAsync(ImagesDirectory)).EnsureSuccess();
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

    private static string? FindBuildSkipReason()
    {
        if (ServerProcess.RepoRoot is null)
        {
            return "the repository (with tests/images/build.sh) is not above the test binaries";
        }

        foreach (var (file, package) in _buildInputs)
        {
            if (!File.Exists(file))
            {
                return $"{file} is missing: building the test images needs the Debian package {package}";
            }
        }

        return null;
    }
}
