namespace Timonel.Agent.Containerd;

/// <summary>Replaces a config file whole (write beside, then rename), so a reader never sees half of one.</summary>
internal static class AtomicFile
{
    public static void Write(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }
}
