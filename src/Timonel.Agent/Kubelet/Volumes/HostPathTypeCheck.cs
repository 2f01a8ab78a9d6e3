namespace Timonel.Agent.Kubelet.Volumes;

/// <summary>
/// A hostPath's type check (upstream hostpath checkType): DirectoryOrCreate and FileOrCreate make what is missing
/// (0755 directory, 0644 empty file); the other types require the path to be that kind of file. Answers the failure
/// message with upstream's wording, or null.
/// </summary>
internal static class HostPathTypeCheck
{
    public static string? Check(string path, string? type)
    {
        switch (type ?? "")
        {
            case "":
                return null;
            case "DirectoryOrCreate" when !Path.Exists(path):
                Directory.CreateDirectory(path, (UnixFileMode)0b111_101_101);
                return null;
            case "DirectoryOrCreate" or "Directory":
                return Kind(path) == "d" ? null : $"hostPath type check failed: {path} is not a directory";
            case "FileOrCreate" when !Path.Exists(path):
                File.Create(path).Dispose();
                File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
                return null;
            case "FileOrCreate" or "File":
                return Kind(path) == "-" ? null : $"hostPath type check failed: {path} is not a file";
            case "Socket":
                return Kind(path) == "s" ? null : $"hostPath type check failed: {path} is not a socket file";
            case "CharDevice":
                return Kind(path) == "c" ? null : $"hostPath type check failed: {path} is not a character device";
            case "BlockDevice":
                return Kind(path) == "b" ? null : $"hostPath type check failed: {path} is not a block device";
            default:
                return $"{type} is an invalid volume type";
        }
    }

    private static string Kind(string path) => VolumeSyscalls.FileType(path) switch
    {
        0xC000 => "s",
        0x8000 => "-",
        0x6000 => "b",
        0x4000 => "d",
        0x2000 => "c",
        null => "",
        _ => "?",
    };
}
