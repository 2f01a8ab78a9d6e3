using Timonel.Controllers.Volume;

namespace Timonel.Controllers.Cloud.Local;

/// <summary>No disks of its own: the server registers its local-path provisioner itself (off with --disable local-storage).</summary>
public sealed class LocalVolumes : ICloudVolumes
{
    public IReadOnlyDictionary<string, IVolumeProvisioner> Provisioners { get; } = new Dictionary<string, IVolumeProvisioner>();
}
