using k8s.Models;

namespace Timonel.Agent.Kubelet.Volumes;

/// <summary>
/// Writes the files of a ConfigMap, Secret, downwardAPI or projected volume into its directory through the
/// <see cref="AtomicWriter"/>, with the pod's fsGroup as the files' group when it has one. Such volumes are read-only.
/// </summary>
internal sealed class ContentVolume
{
    private readonly TimeProvider _time;
    private readonly MemoryMedium _memory;

    public ContentVolume(TimeProvider time, MemoryMedium memory)
    {
        _time = time;
        _memory = memory;
    }

    /// <param name="inMemory">Keep the files on a tmpfs (Secret and projected volumes: credentials stay off the disk).</param>
    public MountedVolume Write(VolumeSetupContext context, IReadOnlyDictionary<string, FileProjection> payload, bool inMemory = false)
    {
        var fsGroup = context.Pod.Spec.SecurityContext?.FsGroup;
        if (fsGroup is not null)
        {
            payload = payload.ToDictionary(e => e.Key, e => e.Value with { Mode = VolumeOwnership.ReadOnlyFileMode(e.Value.Mode) }, StringComparer.Ordinal);
        }

        try
        {
            Directory.CreateDirectory(context.Directory);
            if (inMemory)
            {
                _memory.EnsureMounted(context, null);
            }

            new AtomicWriter(context.Directory, _time).Write(payload, fsGroup is { } gid ? dir => VolumeOwnership.Apply(dir, gid, readOnly: true) : null);
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
        {
            throw context.Failure(e.Message);
        }

        return new MountedVolume(context.Directory, ReadOnly: true);
    }

    /// <summary>Whether the pod sets an fsGroup, which narrows a projected token to 0600 before the group gains read.</summary>
    public static bool HasFsOwner(V1Pod pod) => pod.Spec.SecurityContext?.FsGroup is not null;
}
