using Timonel.Controllers.Volume;

namespace Timonel.Controllers.Cloud;

/// <summary>
/// The disks a cloud provides: provisioners the persistent volume controller runs for the StorageClasses whose
/// <c>provisioner</c> names them (a cloud's "request a virtual disk"), as the in-tree cloud volume plugins did.
/// </summary>
public interface ICloudVolumes
{
    /// <summary>The provisioners by the name StorageClasses give; they join those the server registers itself.</summary>
    IReadOnlyDictionary<string, IVolumeProvisioner> Provisioners { get; }
}
