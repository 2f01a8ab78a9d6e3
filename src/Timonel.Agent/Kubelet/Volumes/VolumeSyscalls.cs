using System.Runtime.InteropServices;

namespace Timonel.Agent.Kubelet.Volumes;

/// <summary>
/// The system calls volumes need that .NET has no API for: rename(2) of a symlink over another (the atomic writer's
/// swap: File.Move follows a link to a directory), mount(2)/umount2(2) of tmpfs, and lchown(2) for fsGroup. Each
/// throws <see cref="IOException"/> naming the call, the path and the errno.
/// </summary>
internal static partial class VolumeSyscalls
{
    // umount2 flag: detach now, finish when the mount is no longer busy.
    private const int DetachFlag = 2;

    public static void Rename(string from, string to) =>
        Check(RenameCall(from, to), "rename", to);

    public static void MountTmpfs(string target, string options) =>
        Check(MountCall("tmpfs", target, "tmpfs", 0, options), "mount tmpfs on", target);

    /// <summary>Unmounts <paramref name="target"/>; a busy mount is detached rather than left behind.</summary>
    public static void Unmount(string target)
    {
        if (Umount2(target, 0) != 0 && Umount2(target, DetachFlag) != 0)
        {
            Check(-1, "umount", target);
        }
    }

    /// <summary>Sets the group of <paramref name="path"/> (a symlink itself, not its target), keeping its owner.</summary>
    public static void ChangeGroup(string path, long gid) =>
        Check(Lchown(path, uint.MaxValue, (uint)gid), "lchown", path);

    /// <summary>
    /// The kind of file at <paramref name="path"/> (following symlinks, as stat does) as the S_IFMT bits of its mode:
    /// 0o140000 socket, 0o100000 regular, 0o060000 block device, 0o040000 directory, 0o020000 character device; null
    /// when nothing is there. statx's buffer has one layout on every architecture, unlike stat's.
    /// </summary>
    public static int? FileType(string path)
    {
        const int currentDirectory = -100;
        const uint typeMask = 1;
        const int modeOffset = 28;
        var buffer = new byte[256];
        if (Statx(currentDirectory, path, 0, typeMask, buffer) != 0)
        {
            return null;
        }

        return BitConverter.ToUInt16(buffer, modeOffset) & 0xF000;
    }

    /// <summary>The path with every symlink on the way resolved (realpath(3)); null when it does not lead to a file.</summary>
    public static string? RealPath(string path)
    {
        var resolved = RealPathCall(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            // realpath allocated it with malloc.
            unsafe
            {
                NativeMemory.Free((void*)resolved);
            }
        }
    }

    private static void Check(int result, string call, string path)
    {
        if (result != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"{call} {path}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }
    }

    [LibraryImport("libc", EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameCall(string from, string to);

    [LibraryImport("libc", EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MountCall(string source, string target, string fileSystemType, ulong flags, string data);

    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Umount2(string target, int flags);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, [Out] byte[] buffer);

    [LibraryImport("libc", EntryPoint = "realpath", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr RealPathCall(string path, IntPtr resolved);

    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Lchown(string path, uint owner, uint group);
}
