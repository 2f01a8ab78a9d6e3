using Grpc.Core;
using Grpc.Net.Client;
using Timonel.Agent.Kubelet.Cri.V1;
using Timonel.Agent.Kubelet.Runtime;

namespace Timonel.Agent.Kubelet.Cri;

/// <summary>
/// The kubelet's container runtime and image service over CRI v1 (containerd's unix socket), as upstream's
/// pkg/kubelet/cri/remote: every call has the runtime request timeout except image pulls, which take as long as
/// the registry does; NotFound answers null from the status calls and is success for stop and remove of a gone
/// object; every other failure is a <see cref="CriException"/> naming the call.
/// </summary>
public sealed class CriRuntime : IContainerRuntime, IImageService, IDisposable
{
    /// <summary>The kubelet's --runtime-request-timeout default.</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromMinutes(2);

    private const string ApiVersion = "v1";

    private readonly GrpcChannel _channel;
    private readonly RuntimeService.RuntimeServiceClient _runtime;
    private readonly ImageService.ImageServiceClient _images;
    private readonly TimeSpan _requestTimeout;

    public CriRuntime(CriEndpoint endpoint, TimeSpan? requestTimeout = null)
    {
        Endpoint = endpoint;
        _channel = endpoint.OpenChannel();
        _runtime = new RuntimeService.RuntimeServiceClient(_channel);
        _images = new ImageService.ImageServiceClient(_channel);
        _requestTimeout = requestTimeout ?? DefaultRequestTimeout;
    }

    public CriEndpoint Endpoint { get; }

    public Task<VersionResponse> VersionAsync(CancellationToken cancellationToken) =>
        CallAsync("Version", options => _runtime.VersionAsync(new VersionRequest { Version = ApiVersion }, options), cancellationToken);

    public async Task<RuntimeStatus> StatusAsync(CancellationToken cancellationToken) =>
        (await CallAsync("Status", options => _runtime.StatusAsync(new StatusRequest(), options), cancellationToken)).Status ?? new RuntimeStatus();

    public async Task<string> RunPodSandboxAsync(PodSandboxConfig config, string runtimeHandler, CancellationToken cancellationToken) =>
        (await CallAsync("RunPodSandbox", options => _runtime.RunPodSandboxAsync(new RunPodSandboxRequest { Config = config, RuntimeHandler = runtimeHandler ?? "" }, options), cancellationToken)).PodSandboxId;

    public Task StopPodSandboxAsync(string podSandboxId, CancellationToken cancellationToken) =>
        CallUnlessGoneAsync("StopPodSandbox", options => _runtime.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = podSandboxId }, options), cancellationToken);

    public Task RemovePodSandboxAsync(string podSandboxId, CancellationToken cancellationToken) =>
        CallUnlessGoneAsync("RemovePodSandbox", options => _runtime.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = podSandboxId }, options), cancellationToken);

    public async Task<PodSandboxStatus?> PodSandboxStatusAsync(string podSandboxId, CancellationToken cancellationToken) =>
        (await CallUnlessGoneAsync("PodSandboxStatus", options => _runtime.PodSandboxStatusAsync(new PodSandboxStatusRequest { PodSandboxId = podSandboxId }, options), cancellationToken))?.Status;

    public async Task<IReadOnlyList<PodSandbox>> ListPodSandboxAsync(PodSandboxFilter? filter, CancellationToken cancellationToken) =>
        (await CallAsync("ListPodSandbox", options => _runtime.ListPodSandboxAsync(new ListPodSandboxRequest { Filter = filter }, options), cancellationToken)).Items;

    public async Task<string> CreateContainerAsync(string podSandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig, CancellationToken cancellationToken) =>
        (await CallAsync("CreateContainer", options => _runtime.CreateContainerAsync(new CreateContainerRequest { PodSandboxId = podSandboxId, Config = config, SandboxConfig = sandboxConfig }, options), cancellationToken)).ContainerId;

    public Task StartContainerAsync(string containerId, CancellationToken cancellationToken) =>
        CallAsync("StartContainer", options => _runtime.StartContainerAsync(new StartContainerRequest { ContainerId = containerId }, options), cancellationToken);

    public Task StopContainerAsync(string containerId, long timeoutSeconds, CancellationToken cancellationToken) =>
        // The runtime waits out the grace period before it kills, so the call may take that long on top of the timeout.
        CallUnlessGoneAsync("StopContainer", options => _runtime.StopContainerAsync(new StopContainerRequest { ContainerId = containerId, Timeout = timeoutSeconds }, options), cancellationToken, TimeSpan.FromSeconds(Math.Max(0, timeoutSeconds)));

    public Task RemoveContainerAsync(string containerId, CancellationToken cancellationToken) =>
        CallUnlessGoneAsync("RemoveContainer", options => _runtime.RemoveContainerAsync(new RemoveContainerRequest { ContainerId = containerId }, options), cancellationToken);

    public async Task<IReadOnlyList<Container>> ListContainersAsync(ContainerFilter? filter, CancellationToken cancellationToken) =>
        (await CallAsync("ListContainers", options => _runtime.ListContainersAsync(new ListContainersRequest { Filter = filter }, options), cancellationToken)).Containers;

    public async Task<ContainerStatus?> ContainerStatusAsync(string containerId, CancellationToken cancellationToken) =>
        (await CallUnlessGoneAsync("ContainerStatus", options => _runtime.ContainerStatusAsync(new ContainerStatusRequest { ContainerId = containerId }, options), cancellationToken))?.Status;

    public Task<ExecSyncResponse> ExecSyncAsync(string containerId, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var request = new ExecSyncRequest { ContainerId = containerId, Timeout = (long)Math.Ceiling(Math.Max(0, timeout.TotalSeconds)) };
        request.Cmd.AddRange(command);
        return CallAsync("ExecSync", options => _runtime.ExecSyncAsync(request, options), cancellationToken, timeout);
    }

    public async Task<string> ExecAsync(ExecRequest request, CancellationToken cancellationToken) =>
        (await CallAsync("Exec", options => _runtime.ExecAsync(request, options), cancellationToken)).Url;

    public async Task<string> AttachAsync(AttachRequest request, CancellationToken cancellationToken) =>
        (await CallAsync("Attach", options => _runtime.AttachAsync(request, options), cancellationToken)).Url;

    public async Task<string> PortForwardAsync(PortForwardRequest request, CancellationToken cancellationToken) =>
        (await CallAsync("PortForward", options => _runtime.PortForwardAsync(request, options), cancellationToken)).Url;

    public async Task<IReadOnlyList<Image>> ListImagesAsync(CancellationToken cancellationToken) =>
        (await CallAsync("ListImages", options => _images.ListImagesAsync(new ListImagesRequest(), options), cancellationToken)).Images;

    public async Task<Image?> ImageStatusAsync(ImageSpec image, CancellationToken cancellationToken) =>
        (await CallUnlessGoneAsync("ImageStatus", options => _images.ImageStatusAsync(new ImageStatusRequest { Image = image }, options), cancellationToken))?.Image;

    public async Task<string> PullImageAsync(ImageSpec image, AuthConfig? auth, PodSandboxConfig? sandboxConfig, CancellationToken cancellationToken)
    {
        var request = new PullImageRequest { Image = image, Auth = auth, SandboxConfig = sandboxConfig };
        try
        {
            // No deadline: a large image over a slow link takes as long as it takes (upstream pulls without one too).
            return (await _images.PullImageAsync(request, new CallOptions(cancellationToken: cancellationToken))).ImageRef;
        }
        catch (RpcException ex) when (ex is not CriException && !cancellationToken.IsCancellationRequested)
        {
            throw new CriException("PullImage", ex);
        }
    }

    public Task RemoveImageAsync(ImageSpec image, CancellationToken cancellationToken) =>
        CallUnlessGoneAsync("RemoveImage", options => _images.RemoveImageAsync(new RemoveImageRequest { Image = image }, options), cancellationToken);

    public Task<ImageFsInfoResponse> ImageFsInfoAsync(CancellationToken cancellationToken) =>
        CallAsync("ImageFsInfo", options => _images.ImageFsInfoAsync(new ImageFsInfoRequest(), options), cancellationToken);

    public void Dispose() => _channel.Dispose();

    private async Task<T> CallAsync<T>(string method, Func<CallOptions, AsyncUnaryCall<T>> call, CancellationToken cancellationToken, TimeSpan extra = default)
    {
        try
        {
            return await call(new CallOptions(deadline: DateTime.UtcNow + _requestTimeout + extra, cancellationToken: cancellationToken));
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CriException(method, ex);
        }
    }

    private async Task<T?> CallUnlessGoneAsync<T>(string method, Func<CallOptions, AsyncUnaryCall<T>> call, CancellationToken cancellationToken, TimeSpan extra = default)
        where T : class
    {
        try
        {
            return await CallAsync(method, call, cancellationToken, extra);
        }
        catch (CriException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }
}
