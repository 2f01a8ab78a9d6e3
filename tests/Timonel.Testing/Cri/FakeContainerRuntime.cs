using Grpc.Core;
using Timonel.Agent.Kubelet.Cri.V1;
using Timonel.Agent.Kubelet.Images;
using Timonel.Agent.Kubelet.Runtime;

namespace Timonel.Testing.Cri;

/// <summary>
/// A container runtime in memory, behaving as containerd does through the CRI: sandboxes and containers with states,
/// images to pull. Tests make containers exit (with exit codes and reasons such as OOMKilled), sandboxes die, pulls
/// fail and exec commands answer what they script; every call is recorded in <see cref="Calls"/>.
/// </summary>
public sealed class FakeContainerRuntime : IContainerRuntime, IImageService
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly Dictionary<string, FakeSandbox> _sandboxes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeContainer> _containers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Image> _images = new(StringComparer.Ordinal);
    private readonly List<string> _calls = [];
    private int _nextId;

    public FakeContainerRuntime(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    public bool RuntimeReady { get; set; } = true;

    public bool NetworkReady { get; set; } = true;

    /// <summary>What the runtime answers to Version: containerd 1.6's.</summary>
    public string RuntimeName { get; set; } = "containerd";

    public string RuntimeVersion { get; set; } = "1.6.20";

    /// <summary>Images the registry has: a pull of one of these succeeds (any other pull fails as not found).</summary>
    public HashSet<string> RegistryImages { get; } = new(StringComparer.Ordinal);

    /// <summary>Pulls of these images (normalised names) fail with this message.</summary>
    public Dictionary<string, string> PullFailures { get; } = new(StringComparer.Ordinal);

    /// <summary>Creating a container of this name fails with this message.</summary>
    public Dictionary<string, string> CreateFailures { get; } = new(StringComparer.Ordinal);

    /// <summary>Answers ExecSync (container id, command); exit code 0 with no output when unset.</summary>
    public Func<FakeContainer, IReadOnlyList<string>, ExecSyncResponse>? ExecHandler { get; set; }

    /// <summary>The exit code of a running container that is stopped (a shell killed by SIGTERM).</summary>
    public int StopExitCode { get; set; } = 143;

    /// <summary>The image filesystem's used bytes (ImageFsInfo).</summary>
    public ulong ImageFsUsedBytes { get; set; }

    public string ImageFsMountpoint { get; set; } = "/var/lib/containerd";

    /// <summary>The calls made, e.g. "RunPodSandbox default/web", "CreateContainer web/app", "StopContainer c3 30".</summary>
    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    public IReadOnlyList<FakeSandbox> Sandboxes
    {
        get
        {
            lock (_lock)
            {
                return [.. _sandboxes.Values];
            }
        }
    }

    public IReadOnlyList<FakeContainer> Containers
    {
        get
        {
            lock (_lock)
            {
                return [.. _containers.Values.OrderBy(c => c.CreatedAt)];
            }
        }
    }

    /// <summary>The containers of that name, oldest first.</summary>
    public IReadOnlyList<FakeContainer> ContainersNamed(string name) => [.. Containers.Where(c => c.Name == name)];

    /// <summary>The newest container of that name.</summary>
    public FakeContainer Latest(string name) => ContainersNamed(name)[^1];

    /// <summary>Adds an image as present on the node (preloaded); answers its id.</summary>
    public string AddImage(string name, ulong size = 1_000_000)
    {
        lock (_lock)
        {
            return AddImageLocked(ImageReference.Normalize(name), size).Id;
        }
    }

    /// <summary>Gives the image named <paramref name="source"/> the name <paramref name="target"/> too, as containerd's image tag does.</summary>
    public void TagImage(string source, string target)
    {
        lock (_lock)
        {
            var image = FindImageLocked(source) ?? throw new InvalidOperationException($"image \"{source}\": not found");
            image.RepoTags.Add(ImageReference.Normalize(target));
        }
    }

    /// <summary>Removes one name of an image; an image left without names is gone.</summary>
    public void RemoveImageName(string name)
    {
        lock (_lock)
        {
            if (FindImageLocked(name) is { } image)
            {
                image.RepoTags.Remove(ImageReference.Normalize(name));
                if (image.RepoTags.Count == 0)
                {
                    _images.Remove(image.Id);
                }
            }
        }
    }

    /// <summary>The container exits now with <paramref name="exitCode"/>, and the runtime's reason ("Completed", "Error", "OOMKilled").</summary>
    public void Exit(string containerId, int exitCode, string? reason = null, string message = "")
    {
        lock (_lock)
        {
            var container = _containers[containerId];
            container.State = ContainerState.ContainerExited;
            container.ExitCode = exitCode;
            container.FinishedAt = Now();
            container.Reason = reason ?? (exitCode == 0 ? "Completed" : "Error");
            container.Message = message;
        }
    }

    /// <summary>The sandbox dies (its pause process gone): NOTREADY, and its containers exit as stopped.</summary>
    public void KillSandbox(string sandboxId)
    {
        lock (_lock)
        {
            KillSandboxLocked(_sandboxes[sandboxId]);
        }
    }

    public Task<VersionResponse> VersionAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new VersionResponse { Version = "0.1.0", RuntimeName = RuntimeName, RuntimeVersion = RuntimeVersion, RuntimeApiVersion = "v1" });

    public Task<RuntimeStatus> StatusAsync(CancellationToken cancellationToken)
    {
        var status = new RuntimeStatus();
        status.Conditions.Add(new RuntimeCondition { Type = "RuntimeReady", Status = RuntimeReady, Reason = RuntimeReady ? "" : "RuntimeNotReady" });
        status.Conditions.Add(new RuntimeCondition
        {
            Type = "NetworkReady",
            Status = NetworkReady,
            Reason = NetworkReady ? "" : "NetworkPluginNotReady",
            Message = NetworkReady ? "" : "Network plugin returns error: cni plugin not initialized",
        });
        return Task.FromResult(status);
    }

    public Task<string> RunPodSandboxAsync(PodSandboxConfig config, string runtimeHandler, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Record($"RunPodSandbox {config.Metadata?.Namespace}/{config.Metadata?.Name}");
            var id = NewId("sandbox");
            _sandboxes[id] = new FakeSandbox(id, config, $"10.42.0.{(_sandboxes.Count % 250) + 2}", Now());
            return Task.FromResult(id);
        }
    }

    public Task StopPodSandboxAsync(string podSandboxId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Record($"StopPodSandbox {podSandboxId}");
            if (_sandboxes.TryGetValue(podSandboxId, out var sandbox))
            {
                KillSandboxLocked(sandbox);
            }

            return Task.CompletedTask;
        }
    }

    public Task RemovePodSandboxAsync(string podSandboxId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Record($"RemovePodSandbox {podSandboxId}");
            if (_sandboxes.Remove(podSandboxId))
            {
                foreach (var id in _containers.Values.Where(c => c.SandboxId == podSandboxId).Select(c => c.Id).ToList())
                {
                    _containers.Remove(id);
                }
            }

            return Task.CompletedTask;
        }
    }

    public Task<PodSandboxStatus?> PodSandboxStatusAsync(string podSandboxId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_sandboxes.TryGetValue(podSandboxId, out var sandbox) ? sandbox.ToStatus() : null);
        }
    }

    public Task<IReadOnlyList<PodSandbox>> ListPodSandboxAsync(PodSandboxFilter? filter, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<PodSandbox> items = [.. _sandboxes.Values
                .Where(s => filter is null || (
                    (filter.Id.Length == 0 || filter.Id == s.Id)
                    && (filter.State is null || filter.State.State == s.State)
                    && Matches(filter.LabelSelector, s.Config.Labels)))
                .OrderBy(s => s.CreatedAt)
                .Select(s => s.ToListItem())];
            return Task.FromResult(items);
        }
    }

    public Task<string> CreateContainerAsync(string podSandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var name = config.Metadata?.Name ?? "";
            Record($"CreateContainer {sandboxConfig.Metadata?.Name}/{name}");
            if (CreateFailures.TryGetValue(name, out var failure))
            {
                throw new RpcException(new Status(StatusCode.Unknown, failure));
            }

            if (!_sandboxes.ContainsKey(podSandboxId))
            {
                throw new RpcException(new Status(StatusCode.NotFound, $"sandbox {podSandboxId} not found"));
            }

            var image = FindImageLocked(config.Image?.Image ?? "")
                ?? throw new RpcException(new Status(StatusCode.NotFound, $"image \"{config.Image?.Image}\": not found"));
            var id = NewId("container");
            _containers[id] = new FakeContainer(id, podSandboxId, config, image.RepoDigests.FirstOrDefault() ?? image.Id, Now());
            return Task.FromResult(id);
        }
    }

    public Task StartContainerAsync(string containerId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Record($"StartContainer {containerId}");
            var container = _containers.TryGetValue(containerId, out var found) ? found : throw new RpcException(new Status(StatusCode.NotFound, $"container {containerId} not found"));
            container.State = ContainerState.ContainerRunning;
            container.StartedAt = Now();
            return Task.CompletedTask;
        }
    }

    public Task StopContainerAsync(string containerId, long timeoutSeconds, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Record($"StopContainer {containerId} {timeoutSeconds}");
            if (_containers.TryGetValue(containerId, out var container) && container.State == ContainerState.ContainerRunning)
            {
                StopLocked(container);
            }

            return Task.CompletedTask;
        }
    }

    public Task RemoveContainerAsync(string containerId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Record($"RemoveContainer {containerId}");
            _containers.Remove(containerId);
            return Task.CompletedTask;
        }
    }

    public Task<IReadOnlyList<Container>> ListContainersAsync(ContainerFilter? filter, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<Container> items = [.. _containers.Values
                .Where(c => filter is null || (
                    (filter.Id.Length == 0 || filter.Id == c.Id)
                    && (filter.PodSandboxId.Length == 0 || filter.PodSandboxId == c.SandboxId)
                    && (filter.State is null || filter.State.State == c.State)
                    && Matches(filter.LabelSelector, c.Config.Labels)))
                .OrderBy(c => c.CreatedAt)
                .Select(c => c.ToListItem())];
            return Task.FromResult(items);
        }
    }

    public Task<ContainerStatus?> ContainerStatusAsync(string containerId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_containers.TryGetValue(containerId, out var container) ? container.ToStatus() : null);
        }
    }

    public Task<ExecSyncResponse> ExecSyncAsync(string containerId, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        FakeContainer container;
        lock (_lock)
        {
            Record($"ExecSync {containerId} {string.Join(' ', command)}");
            container = _containers.TryGetValue(containerId, out var found) && found.State == ContainerState.ContainerRunning
                ? found
                : throw new RpcException(new Status(StatusCode.NotFound, $"container {containerId} is not running"));
        }

        return Task.FromResult(ExecHandler?.Invoke(container, command) ?? new ExecSyncResponse { ExitCode = 0 });
    }

    public Task<string> ExecAsync(ExecRequest request, CancellationToken cancellationToken) => Task.FromResult($"http://127.0.0.1:10010/exec/{request.ContainerId}");

    public Task<string> AttachAsync(AttachRequest request, CancellationToken cancellationToken) => Task.FromResult($"http://127.0.0.1:10010/attach/{request.ContainerId}");

    public Task<string> PortForwardAsync(PortForwardRequest request, CancellationToken cancellationToken) => Task.FromResult($"http://127.0.0.1:10010/portforward/{request.PodSandboxId}");

    public Task<IReadOnlyList<Image>> ListImagesAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<Image> images = [.. _images.Values];
            return Task.FromResult(images);
        }
    }

    public Task<Image?> ImageStatusAsync(ImageSpec image, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(FindImageLocked(image.Image));
        }
    }

    public Task<string> PullImageAsync(ImageSpec image, AuthConfig? auth, PodSandboxConfig? sandboxConfig, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var name = ImageReference.Normalize(image.Image);
            Record($"PullImage {name}");
            if (PullFailures.TryGetValue(name, out var failure))
            {
                throw new RpcException(new Status(StatusCode.Unknown, failure));
            }

            if (!RegistryImages.Contains(name) && !RegistryImages.Contains(image.Image))
            {
                throw new RpcException(new Status(StatusCode.NotFound, $"failed to pull and unpack image \"{name}\": failed to resolve reference \"{name}\": {name}: not found"));
            }

            return Task.FromResult(AddImageLocked(name, 1_000_000).Id);
        }
    }

    public Task RemoveImageAsync(ImageSpec image, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Record($"RemoveImage {image.Image}");
            if (FindImageLocked(image.Image) is { } found)
            {
                _images.Remove(found.Id);
            }

            return Task.CompletedTask;
        }
    }

    public Task<ImageFsInfoResponse> ImageFsInfoAsync(CancellationToken cancellationToken)
    {
        var response = new ImageFsInfoResponse();
        response.ImageFilesystems.Add(new FilesystemUsage
        {
            Timestamp = Now(),
            FsId = new FilesystemIdentifier { Mountpoint = ImageFsMountpoint },
            UsedBytes = new UInt64Value { Value = ImageFsUsedBytes },
        });
        return Task.FromResult(response);
    }

    private static bool Matches(Google.Protobuf.Collections.MapField<string, string> selector, Google.Protobuf.Collections.MapField<string, string> labels) =>
        selector.All(kv => labels.TryGetValue(kv.Key, out var value) && value == kv.Value);

    private Image AddImageLocked(string name, ulong size)
    {
        if (FindImageLocked(name) is { } existing)
        {
            return existing;
        }

        var id = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name)));
        var image = new Image { Id = id, Size = size, Spec = new ImageSpec { Image = id } };
        image.RepoTags.Add(name);
        var repository = name.Split('@')[0];
        var colon = repository.LastIndexOf(':');
        if (colon > repository.LastIndexOf('/'))
        {
            repository = repository[..colon];
        }

        image.RepoDigests.Add($"{repository}@{id}");
        _images[id] = image;
        return image;
    }

    private Image? FindImageLocked(string reference)
    {
        if (_images.TryGetValue(reference, out var byId))
        {
            return byId;
        }

        var name = ImageReference.Normalize(reference);
        return _images.Values.FirstOrDefault(i => i.RepoTags.Contains(name) || i.RepoDigests.Contains(name));
    }

    private void KillSandboxLocked(FakeSandbox sandbox)
    {
        sandbox.State = PodSandboxState.SandboxNotready;
        foreach (var container in _containers.Values.Where(c => c.SandboxId == sandbox.Id && c.State == ContainerState.ContainerRunning))
        {
            StopLocked(container);
        }
    }

    private void StopLocked(FakeContainer container)
    {
        container.State = ContainerState.ContainerExited;
        container.ExitCode = StopExitCode;
        container.Reason = "Error";
        container.FinishedAt = Now();
    }

    private string NewId(string kind) => $"{kind}{++_nextId:D4}";

    private long Now() => (_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;

    private void Record(string call) => _calls.Add(call);
}
