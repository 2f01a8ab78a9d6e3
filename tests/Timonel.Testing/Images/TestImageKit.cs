using Timonel.Testing.Tools;

namespace Timonel.Testing.Images;

/// <summary>
/// tests/images/build.sh from C#: the images the examples use (<see cref="KitImage.All"/>), built offline as OCI
/// archives that <c>ctr images import</c> or the agent's image import load under their upstream names.
/// </summary>
public static class TestImageKit
{
    private static readonly TimeSpan _buildTimeout = TimeSpan.FromMinutes(5);

    // What build.sh reads from the machine, with the Debian package that installs it.
    private static readonly (string File, string Package)[] _buildInputs =
    [
        ("/bin/busybox", "busybox-static"),
        ("/usr/sbin/nginx", "nginx-light"),
        ("/usr/bin/gcc", "gcc"),
        ("/usr/include/stdio.h", "libc6-dev"),
        ("/usr/bin/python3.11", "python3.11-minimal"),
        ("/usr/lib/python3/dist-packages/kubernetes/__init__.py", "python3-kubernetes"),
    ];

    /// <summary>
    /// A directory every test process on this machine may build into: build.sh skips the images already there and
    /// renames each tarball into place whole, so concurrent builds are safe and a second one costs nothing.
    /// </summary>
    public static string SharedDirectory => Path.Combine(Path.GetTempPath(), "timonel-test-images");

    /// <summary>Why the kit cannot be built here (naming the package to install), or null when it can.</summary>
    public static string? UnavailableReason(string? repositoryRoot)
    {
        if (repositoryRoot is null || !File.Exists(Script(repositoryRoot)))
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

    /// <summary>Runs build.sh into <paramref name="directory"/> with any further arguments (e.g. --push HOST:PORT).</summary>
    public static Task<ToolResult> BuildAsync(string repositoryRoot, string directory, params string[] arguments) =>
        Tool.RunAsync("/bin/bash", [Script(repositoryRoot), directory, .. arguments], _buildTimeout);

    private static string Script(string repositoryRoot) => Path.Combine(repositoryRoot, "tests", "images", "build.sh");
}
