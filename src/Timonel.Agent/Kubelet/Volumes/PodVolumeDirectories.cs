namespace Timonel.Agent.Kubelet.Volumes;

/// <summary>The kubelet's layout of pod volumes on disk: <c>&lt;root&gt;/pods/&lt;uid&gt;/volumes/&lt;plugin&gt;/&lt;volume&gt;</c>, as upstream's.</summary>
internal sealed class PodVolumeDirectories
{
    private readonly string _root;

    public PodVolumeDirectories(string root) => _root = Path.GetFullPath(root);

    public string PodDirectory(string podUid) => Path.Combine(_root, "pods", Checked(podUid));

    public string VolumesDirectory(string podUid) => Path.Combine(PodDirectory(podUid), "volumes");

    public string VolumeDirectory(string podUid, string plugin, string volume) => Path.Combine(VolumesDirectory(podUid), plugin, Checked(volume));

    // A uid or volume name is one path segment; anything else would reach outside the pod's directory.
    private static string Checked(string segment) =>
        segment.Length == 0 || segment is "." or ".." || segment.Contains('/') || segment.Contains('\0')
            ? throw new ArgumentException($"invalid name for a directory: \"{segment}\"")
            : segment;
}
