using Timonel.Agent.Kubelet.Cri.V1;

namespace Timonel.Agent.Kubelet.Runtime;

/// <summary>CRI v1's ImageService as the kubelet uses it. An image the runtime lacks answers null from <see cref="ImageStatusAsync"/>.</summary>
public interface IImageService
{
    Task<IReadOnlyList<Image>> ListImagesAsync(CancellationToken cancellationToken);

    Task<Image?> ImageStatusAsync(ImageSpec image, CancellationToken cancellationToken);

    /// <summary>Pulls an image; answers its reference (image id or digest).</summary>
    Task<string> PullImageAsync(ImageSpec image, AuthConfig? auth, PodSandboxConfig? sandboxConfig, CancellationToken cancellationToken);

    Task RemoveImageAsync(ImageSpec image, CancellationToken cancellationToken);

    Task<ImageFsInfoResponse> ImageFsInfoAsync(CancellationToken cancellationToken);
}
