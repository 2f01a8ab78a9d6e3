using Timonel.Agent.Kubelet.Cri.V1;
using Timonel.Agent.Kubelet.Runtime;

namespace Timonel.Agent.Tests.Kubelet.Containers;

/// <summary>
/// The part of <see cref="IImageService"/> container configuration uses (ImageStatus, for the image's user); the
/// rest is not needed here. A general fake image service may replace it.
/// </summary>
internal sealed class ImageStatusStub : IImageService
{
    public Dictionary<string, Image> Images { get; } = new(StringComparer.Ordinal);

    public Task<Image?> ImageStatusAsync(ImageSpec image, CancellationToken cancellationToken) =>
        Task.FromResult(Images.GetValueOrDefault(image.Image));

    public Task<IReadOnlyList<Image>> ListImagesAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<string> PullImageAsync(ImageSpec image, AuthConfig? auth, PodSandboxConfig? sandboxConfig, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task RemoveImageAsync(ImageSpec image, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ImageFsInfoResponse> ImageFsInfoAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
}
