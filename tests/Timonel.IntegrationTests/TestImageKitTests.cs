using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using Timonel.Testing;
using Timonel.Testing.Images;
using Timonel.Testing.Tools;

namespace Timonel.IntegrationTests;

/// <summary>
/// tests/images/build.sh: every image is an OCI archive containerd imports under the name the examples use, and
/// each runs as its upstream namesake does (pause waits for SIGTERM, busybox has its applets, hello-app and nginx
/// answer HTTP and log requests to stdout, the Python image imports the official client).
/// </summary>
public sealed class TestImageKitTests : IClassFixture<TestImageKitFixture>
{
    private static readonly TimeSpan _patience = TimeSpan.FromSeconds(30);
    private readonly TestImageKitFixture _kit;

    public TestImageKitTests(TestImageKitFixture kit) => _kit = kit;

    public static TheoryData<string> ImageNames => new(KitImage.All.Select(image => image.Name));

    [SkippableTheory]
    [MemberData(nameof(ImageNames))]
    public void Build_EachImage_IsAnOciLayoutNamedAsContainerdImportsIt(string name)
    {
        Skip.If(_kit.BuildSkipReason is not null, _kit.BuildSkipReason);
        var image = KitImage.Named(name);
        var archive = OciArchive.Read(_kit.PathOf(image));

        Assert.Equal("1.0.0", archive.Json("oci-layout").GetProperty("imageLayoutVersion").GetString());
        var manifestDescriptor = Assert.Single(archive.Json("index.json").GetProperty("manifests").EnumerateArray());
        Assert.Equal("application/vnd.oci.image.manifest.v1+json", manifestDescriptor.GetProperty("mediaType").GetString());
        var annotations = manifestDescriptor.GetProperty("annotations");
        Assert.Equal(image.Name, annotations.GetProperty("io.containerd.image.name").GetString());
        Assert.Equal(image.Tag, annotations.GetProperty("org.opencontainers.image.ref.name").GetString());

        var manifest = JsonDocument.Parse(archive.Blob(manifestDescriptor)).RootElement;
        var config = JsonDocument.Parse(archive.Blob(manifest.GetProperty("config"))).RootElement;
        Assert.Equal("linux", config.GetProperty("os").GetString());
        var layers = manifest.GetProperty("layers").EnumerateArray().ToList();
        var diffIds = config.GetProperty("rootfs").GetProperty("diff_ids").EnumerateArray().Select(id => id.GetString()!).ToList();
        Assert.NotEmpty(layers);
        // Each diff_id is the digest of the uncompressed layer: what containerd checks when it unpacks.
        Assert.Equal(diffIds, layers.Select(layer => OciArchive.Sha256Digest(Gunzip(archive.Blob(layer)))).ToList());
    }

    [SkippableFact]
    public async Task Build_AgainIntoTheSameDirectory_SkipsEveryImage()
    {
        Skip.If(_kit.BuildSkipReason is not null, _kit.BuildSkipReason);
        var before = KitImage.All.Select(image => File.GetLastWriteTimeUtc(_kit.PathOf(image))).ToList();

        var again = (await _kit.BuildAsync(_kit.ImagesDirectory)).EnsureSuccess();

        Assert.Equal(KitImage.All.Count, again.Output.Split('\n').Count(line => line.StartsWith("up to date: ", StringComparison.Ordinal)));
        Assert.Equal(before, KitImage.All.Select(image => File.GetLastWriteTimeUtc(_kit.PathOf(image))).ToList());
    }

    [SkippableFact]
    public async Task Build_IntoAnotherDirectory_GivesTheSameDigests()
    {
        Skip.If(_kit.BuildSkipReason is not null, _kit.BuildSkipReason);
        var other = Path.Combine(Path.GetTempPath(), $"timonel-images-{Guid.NewGuid():N}");
        try
        {
            (await _kit.BuildAsync(other)).EnsureSuccess();
            foreach (var image in KitImage.All)
            {
                Assert.Equal(
                    OciArchive.Read(_kit.PathOf(image)).Content("index.json"),
                    OciArchive.Read(Path.Combine(other, image.FileName)).Content("index.json"));
            }
        }
        finally
        {
            Directory.Delete(other, recursive: true);
        }
    }

    [SkippableFact]
    public async Task Build_WithAPushTargetThatIsNotHostPort_FailsSayingWhat()
    {
        Skip.If(_kit.BuildSkipReason is not null, _kit.BuildSkipReason);

        var refused = await _kit.BuildAsync(_kit.ImagesDirectory, "--push", "http://localhost");

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("--push wants HOST:PORT", refused.Error, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Push_ToAThrowawayRegistry_ServesEveryImageUnderItsPathWithItsDigest()
    {
        Skip.If(_kit.BuildSkipReason is not null, _kit.BuildSkipReason);
        Skip.IfNot(File.Exists("/usr/bin/docker-registry"), "/usr/bin/docker-registry is not installed (Debian package docker-registry)");
        Skip.IfNot(File.Exists("/usr/bin/skopeo"), "/usr/bin/skopeo is not installed (Debian package skopeo)");
        var registry = Path.Combine(Path.GetTempPath(), $"timonel-registry-{Guid.NewGuid():N}");
        var script = Path.Combine(ServerProcess.RepoRoot!, "tests", "images", "registry.sh");
        var port = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            (await Tool.RunAsync("/bin/bash", script, "START", registry, port)).EnsureSuccess();
            (await _kit.BuildAsync(_kit.ImagesDirectory, "--push", $"127.0.0.1:{port}")).EnsureSuccess();

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            foreach (var image in KitImage.All)
            {
                // The path a containerd mirror of the image's registry asks for: the name without the registry host.
                var repository = image.Name[(image.Name.IndexOf('/') + 1)..image.Name.LastIndexOf(':')];
                using var request = new HttpRequestMessage(HttpMethod.Head, $"/v2/{repository}/manifests/{image.Tag}");
                request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
                using var response = await http.SendAsync(request);
                var built = OciArchive.Read(_kit.PathOf(image)).Json("index.json").GetProperty("manifests")[0].GetProperty("digest").GetString();

                Assert.True(response.IsSuccessStatusCode, $"{image}: {(int)response.StatusCode} for {request.RequestUri}");
                Assert.Equal(built, response.Headers.GetValues("Docker-Content-Digest").Single());
            }
        }
        finally
        {
            await Tool.RunAsync("/bin/bash", script, "STOP", registry);
            Directory.Delete(registry, recursive: true);
        }
    }

    [SkippableFact]
    public async Task Import_EveryTarball_ListsTheImageUnderItsName()
    {
        Skip.If(_kit.RunSkipReason is not null, _kit.RunSkipReason);

        var listed = (await _kit.Containerd.CtrAsync("images", "ls", "--quiet")).EnsureSuccess().Output.Split('\n');

        Assert.All(KitImage.All, image => Assert.Contains(image.Name, listed));
    }

    [SkippableFact]
    public async Task Pause_Runs_UntilSigtermEndsIt()
    {
        Skip.If(_kit.RunSkipReason is not null, _kit.RunSkipReason);
        var id = ContainerId("pause");

        var run = _kit.Containerd.CtrAsync("run", "--rm", "registry.k8s.io/pause:3.10", id);
        await WaitRunningAsync(id);
        (await _kit.Containerd.CtrAsync("tasks", "kill", "--signal", "SIGTERM", id)).EnsureSuccess();

        // 128 + 15: the exit status of a process ended by SIGTERM, which pause as PID 1 only gets by handling it.
        Assert.Equal(143, (await run).ExitCode);
    }

    [SkippableFact]
    public async Task Busybox_RunsTheShellWithTheAppletsKubectlNeeds()
    {
        Skip.If(_kit.RunSkipReason is not null, _kit.RunSkipReason);

        var run = (await _kit.Containerd.CtrAsync("run", "--rm", "docker.io/library/busybox:latest", ContainerId("busybox"),
            "sh", "-c", "for applet in sh ls cat env sleep wget nc echo tar; do which $applet; done; id -un")).EnsureSuccess();

        Assert.Equal(
            ["/bin/sh", "/bin/ls", "/bin/cat", "/bin/env", "/bin/sleep", "/bin/wget", "/bin/nc", "/bin/echo", "/bin/tar", "root"],
            run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [SkippableTheory]
    [InlineData("gcr.io/google-samples/hello-app:1.0", "1.0.0")]
    [InlineData("gcr.io/google-samples/hello-app:2.0", "2.0.0")]
    public async Task HelloApp_AnswersEveryPathWithItsVersion_AndLogsTheRequest(string name, string version)
    {
        Skip.If(_kit.RunSkipReason is not null, _kit.RunSkipReason);
        var id = ContainerId("hello");
        var log = await RunDetachedAsync(name, id);

        var answer = await FetchInNetworkOfAsync(id, "http://127.0.0.1:8080/some/path");

        Assert.StartsWith($"Hello, world!\nVersion: {version}\nHostname: ", answer.Output, StringComparison.Ordinal);
        Assert.EndsWith("\n", answer.Output, StringComparison.Ordinal);
        await WaitLoggedAsync(log, "Serving request: /some/path");
    }

    [SkippableFact]
    public async Task Nginx_ServesTheWelcomePage_LogsTheRequest_AndRunsExec()
    {
        Skip.If(_kit.RunSkipReason is not null, _kit.RunSkipReason);
        var id = ContainerId("nginx");
        var log = await RunDetachedAsync("docker.io/library/nginx:alpine", id);

        var page = await FetchInNetworkOfAsync(id, "http://127.0.0.1/");
        var env = (await _kit.Containerd.CtrAsync("tasks", "exec", "--exec-id", "env", id, "env")).EnsureSuccess();

        Assert.Contains("<title>Welcome to nginx!</title>", page.Output, StringComparison.Ordinal);
        await WaitLoggedAsync(log, "\"GET / HTTP/1.1\" 200");
        Assert.Contains("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", env.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task PythonKubernetes_RunsTheOfficialClientWithItsDependencies()
    {
        Skip.If(_kit.RunSkipReason is not null, _kit.RunSkipReason);

        // What load_incluster_config and CoreV1Api need: the client with its HTTP, YAML and auth packages, and the
        // interpreter's TLS (libssl comes with the ssl module's extension).
        var run = (await _kit.Containerd.CtrAsync("run", "--rm", "timonel.test/python-kubernetes:1", ContainerId("python"),
            "python3", "-c", "import ssl, kubernetes; from kubernetes import client, config; print(kubernetes.__version__, client.CoreV1Api.__name__, callable(config.load_incluster_config), ssl.OPENSSL_VERSION.split()[0])")).EnsureSuccess();

        Assert.Equal("22.6.0 CoreV1Api True OpenSSL", run.Output.Trim());
    }

    private static string ContainerId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..24];

    private static byte[] Gunzip(byte[] compressed)
    {
        using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        gzip.CopyTo(plain);
        return plain.ToArray();
    }

    /// <summary>Starts a container in the background with its stdout and stderr in a file; returns the file.</summary>
    private async Task<string> RunDetachedAsync(string image, string id)
    {
        var log = Path.Combine(_kit.Containerd.Directory, id + ".log");
        (await _kit.Containerd.CtrAsync("run", "--detach", "--log-uri", "file://" + log, image, id)).EnsureSuccess();
        await WaitRunningAsync(id);
        return log;
    }

    private async Task<int> WaitRunningAsync(string id)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < _patience)
        {
            if (await _kit.Containerd.TaskPidAsync(id) is { } pid)
            {
                return pid;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"the container {id} did not start running");
    }

    /// <summary>
    /// busybox's wget from inside the network namespace of a running container (only its loopback there), retried
    /// while the server in it is still starting.
    /// </summary>
    private async Task<ToolResult> FetchInNetworkOfAsync(string id, string url)
    {
        var pid = await WaitRunningAsync(id);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var fetch = await _kit.Containerd.CtrAsync("run", "--rm", "--with-ns", $"network:/proc/{pid}/ns/net",
                "docker.io/library/busybox:latest", ContainerId("wget"), "wget", "-q", "-O", "-", url);
            if (fetch.Succeeded || waited.Elapsed > _patience)
            {
                return fetch.EnsureSuccess();
            }

            await Task.Delay(100);
        }
    }

    private static async Task WaitLoggedAsync(string log, string expected)
    {
        var waited = Stopwatch.StartNew();
        var content = "";
        while (waited.Elapsed < _patience)
        {
            content = File.Exists(log) ? await File.ReadAllTextAsync(log) : "";
            if (content.Contains(expected, StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"the container's log never showed {expected}; it has:\n{content}");
    }
}
