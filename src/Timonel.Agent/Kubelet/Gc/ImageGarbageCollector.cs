using Microsoft.Extensions.Logging;
using Timonel.Agent.Kubelet.Runtime;

namespace Timonel.Agent.Kubelet.Gc;

/// <summary>
/// Frees the image filesystem (images/image_gc_manager.go): once it is 85% full, removes images no container uses,
/// largest first, until it is down to 80%.
/// </summary>
internal sealed class ImageGarbageCollector
{
    public const int HighThresholdPercent = 85;
    public const int LowThresholdPercent = 80;

    private readonly IContainerRuntime _runtime;
    private readonly IImageService _images;
    private readonly Func<string, long?> _capacityOf;
    private readonly ILogger _logger;

    /// <param name="capacityOf">The size in bytes of the filesystem mounted at a path (null when unknown).</param>
    public ImageGarbageCollector(IContainerRuntime runtime, IImageService images, Func<string, long?> capacityOf, ILogger logger)
    {
        _runtime = runtime;
        _images = images;
        _capacityOf = capacityOf;
        _logger = logger;
    }

    /// <summary>The size of the filesystem at <paramref name="path"/> (statvfs).</summary>
    public static long? FilesystemCapacity(string path)
    {
        try
        {
            return Directory.Exists(path) ? new DriveInfo(path).TotalSize : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Answers the bytes freed.</summary>
    public async Task<ulong> CollectAsync(CancellationToken cancellationToken)
    {
        var usage = (await _images.ImageFsInfoAsync(cancellationToken)).ImageFilesystems.FirstOrDefault();
        if (usage?.UsedBytes is null || usage.FsId is null || _capacityOf(usage.FsId.Mountpoint) is not { } capacity || capacity <= 0)
        {
            return 0;
        }

        var used = usage.UsedBytes.Value;
        if (used * 100 < (ulong)capacity * HighThresholdPercent)
        {
            return 0;
        }

        var toFree = used - ((ulong)capacity * LowThresholdPercent / 100);
        var inUse = (await _runtime.ListContainersAsync(null, cancellationToken)).SelectMany(c => new[] { c.ImageRef, c.Image?.Image ?? "", Images.ImageReference.Normalize(c.Image?.Image ?? "") }).ToHashSet(StringComparer.Ordinal);
        ulong freed = 0;
        foreach (var image in (await _images.ListImagesAsync(cancellationToken)).Where(i => !i.Pinned).OrderByDescending(i => i.Size))
        {
            if (freed >= toFree)
            {
                break;
            }

            if (inUse.Contains(image.Id) || image.RepoTags.Any(inUse.Contains) || image.RepoDigests.Any(inUse.Contains))
            {
                continue;
            }

            _logger.LogInformation("removing unused image {Image} ({Size} bytes): the image filesystem is {Percent}% full", image.RepoTags.FirstOrDefault() ?? image.Id, image.Size, used * 100 / (ulong)capacity);
            await _images.RemoveImageAsync(new Cri.V1.ImageSpec { Image = image.Id }, cancellationToken);
            freed += image.Size;
        }

        return freed;
    }
}
