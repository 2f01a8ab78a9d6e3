using k8s.Models;

namespace Timonel.Agent.Kubelet.Volumes;

/// <summary>hostPath volumes (upstream pkg/volume/hostpath): the node's own path, after its type check; never removed by teardown.</summary>
internal sealed class HostPathVolumePlugin : IVolumePlugin
{
    public string? DirectoryName => null;

    public bool Refreshes => false;

    public bool Handles(V1Volume volume) => volume.HostPath is not null;

    public Task<MountedVolume> SetUpAsync(VolumeSetupContext context, CancellationToken cancellationToken)
    {
        var source = context.Volume.HostPath;
        return Task.FromResult(new MountedVolume(Checked(context, source.Path, source.Type), ReadOnly: false));
    }

    /// <summary>The path once its type check passed; throws the check's failure as the volume's.</summary>
    public static string Checked(VolumeSetupContext context, string path, string? type)
    {
        string? failure;
        try
        {
            failure = HostPathTypeCheck.Check(path, type);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            failure = e.Message;
        }

        return failure is null ? path : throw context.Failure(failure);
    }
}
