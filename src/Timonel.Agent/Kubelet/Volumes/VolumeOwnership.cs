namespace Timonel.Agent.Kubelet.Volumes;

/// <summary>
/// The pod's fsGroup applied to a volume (upstream volume.SetVolumeOwnership): every file and directory gets the
/// group, files gain group read (and write, for writable volumes), directories gain the setgid bit and group access
/// so that new files inherit the group.
/// </summary>
internal static class VolumeOwnership
{
    private const UnixFileMode ReadOnlyMask = UnixFileMode.UserRead | UnixFileMode.GroupRead;
    private const UnixFileMode ReadWriteMask = ReadOnlyMask | UnixFileMode.UserWrite | UnixFileMode.GroupWrite;
    private const UnixFileMode DirectoryMask = UnixFileMode.SetGroup | UnixFileMode.UserExecute | UnixFileMode.GroupExecute;

    /// <summary>The mode a file of a read-only volume ends with once the fsGroup applies.</summary>
    public static UnixFileMode ReadOnlyFileMode(UnixFileMode mode) => mode | ReadOnlyMask;

    /// <summary>Gives <paramref name="root"/> and everything under it the group <paramref name="gid"/> and group access.</summary>
    public static void Apply(string root, long gid, bool readOnly)
    {
        var fileMask = readOnly ? ReadOnlyMask : ReadWriteMask;
        Change(new DirectoryInfo(root), gid, fileMask);
        foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            Change(entry, gid, fileMask);
        }
    }

    private static void Change(FileSystemInfo entry, long gid, UnixFileMode fileMask)
    {
        VolumeSyscalls.ChangeGroup(entry.FullName, gid);
        if (entry.LinkTarget is not null)
        {
            return;
        }

        var mask = entry is DirectoryInfo ? fileMask | DirectoryMask : fileMask;
        if ((entry.UnixFileMode & mask) != mask)
        {
            entry.UnixFileMode |= mask;
        }
    }
}
