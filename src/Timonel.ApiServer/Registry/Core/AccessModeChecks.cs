using Timonel.Api.Validation;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// What PersistentVolumes and PersistentVolumeClaims share (upstream's ValidatePersistentVolumeSpec and
/// ValidatePersistentVolumeClaimSpec): the access mode and volume mode values.
/// </summary>
internal static class AccessModeChecks
{
    /// <summary>supportedAccessModes, sorted as sets.List.</summary>
    public static readonly string[] AccessModes = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"];

    /// <summary>supportedVolumeModes, sorted as sets.List.</summary>
    public static readonly string[] VolumeModes = ["Block", "Filesystem"];

    /// <summary>Each access mode is known, and ReadWriteOncePod stands alone.</summary>
    public static void AddAccessModes(this FieldErrorList errors, IReadOnlyList<string> modes, FieldPath path)
    {
        foreach (var mode in modes.Where(m => !AccessModes.Contains(m)))
        {
            errors.Add(FieldError.NotSupported(path, mode, AccessModes));
        }

        if (modes.Contains("ReadWriteOncePod") && modes.Any(m => m != "ReadWriteOncePod" && AccessModes.Contains(m)))
        {
            errors.Add(FieldError.Forbidden(path, "may not use ReadWriteOncePod with other access modes"));
        }
    }

    /// <summary>A volume mode, when set, is Block or Filesystem.</summary>
    public static void AddVolumeMode(this FieldErrorList errors, string? mode, FieldPath path)
    {
        if (mode is not null && !VolumeModes.Contains(mode))
        {
            errors.Add(FieldError.NotSupported(path, mode, VolumeModes));
        }
    }
}
