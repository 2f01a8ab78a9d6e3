using System.Diagnostics;
using k8s.Models;
using Timonel.Agent.Kubelet.Cri.V1;
using Timonel.Agent.Kubelet.Images;
using Timonel.Agent.Kubelet.Runtime;

namespace Timonel.Agent.Kubelet.PodWorkers;

/// <summary>
/// Makes sure a container's image is on the node per its imagePullPolicy (images/image_manager.go EnsureImageExists),
/// with upstream's events, and backs off failed pulls (ErrImagePull, then ImagePullBackOff).
/// </summary>
internal sealed class ImagePuller
{
    private readonly IImageService _images;
    private readonly Backoff _backoff;
    private readonly PodEvents _events;
    private readonly TimeProvider _time;
    private readonly IPullCredentials? _credentials;

    public ImagePuller(IImageService images, Backoff backoff, PodEvents events, TimeProvider time, IPullCredentials? credentials = null)
    {
        _images = images;
        _credentials = credentials;
        _backoff = backoff;
        _events = events;
        _time = time;
    }

    /// <summary>The pull policy in force: as set, else Always for :latest or no tag (the API server's defaulting), else IfNotPresent.</summary>
    public static string PullPolicy(V1Container container) =>
        container.ImagePullPolicy is { Length: > 0 } policy ? policy : ImageReference.IsLatestOrUntagged(container.Image ?? "") ? "Always" : "IfNotPresent";

    /// <summary>Null once the image is present; else why the container waits.</summary>
    public async Task<ContainerWaiting?> EnsureAsync(V1Pod pod, V1Container container, PodSandboxConfig sandboxConfig, CancellationToken cancellationToken)
    {
        var image = container.Image ?? "";
        if (image.Length == 0)
        {
            return new ContainerWaiting("InvalidImageName", $"Failed to apply default image tag \"\": couldn't parse image name \"\": invalid reference format");
        }

        var spec = new ImageSpec { Image = image };
        var policy = PullPolicy(container);
        var present = await _images.ImageStatusAsync(spec, cancellationToken) is not null;
        if (policy == "Never" || (policy == "IfNotPresent" && present))
        {
            if (present)
            {
                _events.Container(pod, container, "Normal", "Pulled", $"Container image \"{image}\" already present on machine");
                return null;
            }

            var message = $"Container image \"{image}\" is not present with pull policy of Never";
            _events.Container(pod, container, "Warning", "ErrImageNeverPull", message);
            return new ContainerWaiting("ErrImageNeverPull", message);
        }

        var key = BackoffKey(pod, image);
        if (_backoff.IsInBackOffSinceUpdate(key, _time.GetUtcNow()))
        {
            var message = $"Back-off pulling image \"{image}\"";
            _events.Container(pod, container, "Normal", "BackOff", message);
            return new ContainerWaiting("ImagePullBackOff", message);
        }

        _events.Container(pod, container, "Normal", "Pulling", $"Pulling image \"{image}\"");
        var watch = Stopwatch.StartNew();
        if (await PullAsync(pod, spec, sandboxConfig, cancellationToken) is { } failure)
        {
            _backoff.Next(key, _time.GetUtcNow());
            var message = RuntimeErrors.Message(failure);
            _events.Container(pod, container, "Warning", "Failed", $"Failed to pull image \"{image}\": {message}");
            return new ContainerWaiting("ErrImagePull", message);
        }

        var took = GoDuration.Format(watch.Elapsed);
        var size = (await _images.ImageStatusAsync(spec, cancellationToken))?.Size ?? 0;
        _events.Container(pod, container, "Normal", "Pulled", $"Successfully pulled image \"{image}\" in {took} ({took} including waiting). Image size: {size} bytes.");
        return null;
    }

    public static string BackoffKey(V1Pod pod, string image) => $"{pod.Metadata.Uid}/image/{image}";

    /// <summary>Pulls with each credential in turn until one works (anonymously when there is none); the last failure, or null.</summary>
    private async Task<Exception?> PullAsync(V1Pod pod, ImageSpec spec, PodSandboxConfig sandboxConfig, CancellationToken cancellationToken)
    {
        IReadOnlyList<AuthConfig?> attempts = _credentials is null ? [] : await _credentials.ForAsync(pod, spec.Image, cancellationToken);
        Exception? failure = null;
        foreach (var auth in attempts.Count == 0 ? [null] : attempts)
        {
            try
            {
                await _images.PullImageAsync(spec, auth, sandboxConfig, cancellationToken);
                return null;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failure = ex;
            }
        }

        return failure;
    }
}
