using System.Diagnostics;
using System.Net.Sockets;
using Grpc.Net.Client;
using Timonel.Agent.Kubelet.Cri.V1;
using Timonel.Testing;
using Timonel.Testing.Containerd;
using Timonel.Testing.Images;

namespace Timonel.IntegrationTests;

/// <summary>
/// The kit's images as containerd's CRI plugin uses them: pause:3.10 as the sandbox image of a pod, and
/// hello-app answering HTTP from a container of that pod (on the host network, so no CNI is needed here).
/// </summary>
public sealed class TestImageKitCriTests
{
    private static readonly TimeSpan _patience = TimeSpan.FromSeconds(30);

    [SkippableFact]
    public async Task Cri_PodWithThePauseSandbox_RunsHelloApp()
    {
        var reason = TestImageKit.UnavailableReason(ServerProcess.RepoRoot) ?? ThrowawayContainerd.UnavailableReason;
        Skip.If(reason is not null, reason);
        var images = TestImageKit.SharedDirectory;
        (await TestImageKit.BuildAsync(ServerProcess.RepoRoot!, images)).EnsureSuccess();
        await using var containerd = await ThrowawayContainerd.StartAsync(criSandboxImage: "registry.k8s.io/pause:3.10");
        foreach (var image in new[] { KitImage.Named("registry.k8s.io/pause:3.10"), KitImage.Named("gcr.io/google-samples/hello-app:1.0") })
        {
            (await containerd.CtrAsync("images", "import", Path.Combine(images, image.FileName))).EnsureSuccess();
        }

        using var channel = UnixSocketChannel(containerd.Address);
        var runtime = new RuntimeService.RuntimeServiceClient(channel);
        var port = FreePort.Next();
        var sandboxConfig = new PodSandboxConfig
        {
            Metadata = new PodSandboxMetadata { Name = "kit", Namespace = "default", Uid = Guid.NewGuid().ToString() },
            LogDirectory = Path.Combine(containerd.Directory, "pod-logs"),
            Linux = new LinuxPodSandboxConfig
            {
                SecurityContext = new LinuxSandboxSecurityContext
                {
                    NamespaceOptions = new NamespaceOption { Network = NamespaceMode.Node },
                },
            },
        };
        var sandbox = await runtime.RunPodSandboxAsync(new RunPodSandboxRequest { Config = sandboxConfig });
        try
        {
            var container = await runtime.CreateContainerAsync(new CreateContainerRequest
            {
                PodSandboxId = sandbox.PodSandboxId,
                SandboxConfig = sandboxConfig,
                Config = new ContainerConfig
                {
                    Metadata = new ContainerMetadata { Name = "hello" },
                    Image = new ImageSpec { Image = "gcr.io/google-samples/hello-app:1.0" },
                    Envs = { new KeyValue { Key = "PORT", Value = port.ToString(System.Globalization.CultureInfo.InvariantCulture) } },
                    LogPath = "hello.log",
                },
            });
            await runtime.StartContainerAsync(new StartContainerRequest { ContainerId = container.ContainerId });

            var answer = await GetWhenListeningAsync($"http://127.0.0.1:{port}/from/the/host");

            Assert.StartsWith("Hello, world!\nVersion: 1.0.0\nHostname: ", answer, StringComparison.Ordinal);
        }
        finally
        {
            await runtime.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = sandbox.PodSandboxId });
            await runtime.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = sandbox.PodSandboxId });
        }
    }

    private static GrpcChannel UnixSocketChannel(string path) =>
        GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                ConnectCallback = async (_, cancellationToken) =>
                {
                    var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                },
            },
        });

    private static async Task<string> GetWhenListeningAsync(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await http.GetStringAsync(new Uri(url));
            }
            catch (HttpRequestException) when (waited.Elapsed < _patience)
            {
                // The container is still starting.
                await Task.Delay(100);
            }
        }
    }
}
