using Timonel.Agent.Containerd.Images;
using Timonel.Agent.Kubelet.Cri.V1;
using Timonel.Agent.Kubelet.Images;
using Timonel.Agent.Kubelet.Runtime;

namespace Timonel.Agent.Containerd.Registries;

/// <summary>
/// The agent's own containerd as the kubelet's image service, with what registries.yaml asks that containerd 1.6
/// cannot do by itself. Before a pull, the image's registry host gets its hosts.toml (the "*" mirror reaching a host the
/// file does not name). A pull a rewrite applies to fetches the rewritten name instead (same host, so the same mirror
/// endpoints and never the public registry) and then gives the image its original name through containerd, removing
/// the rewritten one: as with K3s, the image is stored under the name the pod asked for, so the image checks, the
/// container's creation and the pod's status all see the original name.
/// </summary>
public sealed class MirroredImageService(IImageService runtime, RegistriesFile registries, RegistryHostsDirectory hosts, IImageNames names, TimeProvider? time = null) : IImageService
{
    private static readonly TimeSpan _namePoll = TimeSpan.FromMilliseconds(50);
    private const int MaxNamePolls = 100;

    private readonly IImageService _runtime = runtime;
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public Task<IReadOnlyList<Image>> ListImagesAsync(CancellationToken cancellationToken) => _runtime.ListImagesAsync(cancellationToken);

    public Task<Image?> ImageStatusAsync(ImageSpec image, CancellationToken cancellationToken) => _runtime.ImageStatusAsync(image, cancellationToken);

    public Task RemoveImageAsync(ImageSpec image, CancellationToken cancellationToken) => _runtime.RemoveImageAsync(image, cancellationToken);

    public Task<ImageFsInfoResponse> ImageFsInfoAsync(CancellationToken cancellationToken) => _runtime.ImageFsInfoAsync(cancellationToken);

    /// <exception cref="IOException">The rewritten image was pulled but could not be given its original name.</exception>
    public async Task<string> PullImageAsync(ImageSpec image, AuthConfig? auth, PodSandboxConfig? sandboxConfig, CancellationToken cancellationToken)
    {
        hosts.EnsureFor(ImageReference.Parse(image.Image).Host);
        if (RepositoryRewrite.Apply(registries, image.Image) is not { } rewritten)
        {
            return await _runtime.PullImageAsync(image, auth, sandboxConfig, cancellationToken);
        }

        var original = ImageReference.Normalize(image.Image);
        var rewrittenSpec = new ImageSpec { Image = rewritten };
        rewrittenSpec.Annotations.Add(image.Annotations);
        var hadRewrittenName = await _runtime.ImageStatusAsync(new ImageSpec { Image = rewritten }, cancellationToken) is not null;
        var imageRef = await _runtime.PullImageAsync(rewrittenSpec, auth, sandboxConfig, cancellationToken);
        await names.TagAsync(rewritten, original, cancellationToken);
        if (!hadRewrittenName)
        {
            await names.RemoveAsync(rewritten, cancellationToken);
        }

        await AwaitNameAsync(original, cancellationToken);
        return imageRef;
    }

    /// <summary>
    /// The CRI plugin learns of the new name from containerd's events, a moment after the tag: the kubelet looks the
    /// image up by that name right after the pull, so the pull ends once the name is found (or after 5 s, when the
    /// lookup that follows reports whatever is wrong).
    /// </summary>
    private async Task AwaitNameAsync(string name, CancellationToken cancellationToken)
    {
        for (var poll = 0; poll < MaxNamePolls; poll++)
        {
            if (await _runtime.ImageStatusAsync(new ImageSpec { Image = name }, cancellationToken) is not null)
            {
                return;
            }

            await Task.Delay(_namePoll, _time, cancellationToken);
        }
    }
}
