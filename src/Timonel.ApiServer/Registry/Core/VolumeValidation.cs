using System.Text.Json.Nodes;
using Timonel.Api.Quantities;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry.Validation;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// A pod's volumes (upstream's ValidateVolumes and validateVolumeSource): unique DNS-1123 label names and exactly one
/// source each, with the common sources' own rules. Only volumes without errors count for volume mounts, as upstream.
/// </summary>
internal static class VolumeValidation
{
    private const string FileModeMessage = "must be a number between 0 and 0777 (octal), both inclusive";
    private const int MaxFileMode = 511; // 0777

    // The volume sources in the order validateVolumeSource looks at them.
    private static readonly string[] _sources =
    [
        "emptyDir", "hostPath", "gitRepo", "gcePersistentDisk", "awsElasticBlockStore", "secret", "nfs", "iscsi", "glusterfs",
        "flocker", "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs", "downwardAPI", "fc", "azureFile",
        "configMap", "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk", "projected", "portworxVolume", "scaleIO",
        "storageos", "csi", "ephemeral", "image",
    ];

    // supportedHostPathTypes, sorted.
    private static readonly string[] _hostPathTypes = ["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"];

    /// <summary>Validates the volumes and returns the names of the valid ones.</summary>
    public static HashSet<string> Validate(FieldErrorList errors, JsonArray? volumes, FieldPath path)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var volume in volumes.Objects())
        {
            var volumePath = path.Index(index++);
            var volumeErrors = new FieldErrorList();
            ValidateSource(volumeErrors, volume, volumePath);
            var name = volume.Text("name");
            volumeErrors.AddRequiredDns1123Label(name, volumePath.Child("name"));
            if (names.Contains(name))
            {
                volumeErrors.Add(FieldError.Duplicate(volumePath.Child("name"), name));
            }

            if (volumeErrors.IsEmpty)
            {
                names.Add(name);
            }
            else
            {
                errors.AddRange(volumeErrors);
            }
        }

        return names;
    }

    private static void ValidateSource(FieldErrorList errors, JsonObject volume, FieldPath path) =>
        errors.AddExactlyOne(volume, _sources, path, "may not specify more than 1 volume type", "must specify a volume type", ValidateOne);

    /// <summary>The rules of one volume source that pods and PersistentVolumes share (hostPath, nfs, ...); others pass.</summary>
    public static void ValidateOne(FieldErrorList errors, string kind, JsonObject source, FieldPath path)
    {
        switch (kind)
        {
            case "emptyDir":
                if (source["sizeLimit"] is { } sizeLimit && Quantity.TryParse(sizeLimit.ToString(), out var limit, out _) && limit.Sign < 0)
                {
                    errors.Add(FieldError.Forbidden(path.Child("sizeLimit"), "SizeLimit field must be a valid resource quantity"));
                }

                break;
            case "hostPath":
                var hostPath = source.Text("path");
                if (hostPath.Length == 0)
                {
                    errors.Add(FieldError.Required(path.Child("path")));
                    break;
                }

                PathValidation.AddPathNoBacksteps(errors, hostPath, path.Child("path"));

                var type = source.Text("type");
                if (!_hostPathTypes.Contains(type))
                {
                    errors.Add(FieldError.NotSupported(path.Child("type"), type, _hostPathTypes));
                }

                break;
            case "secret":
                RequireName(errors, source, "secretName", path);
                ValidateProjection(errors, source, path);
                break;
            case "configMap":
                RequireName(errors, source, "name", path);
                ValidateProjection(errors, source, path);
                break;
            case "persistentVolumeClaim":
                RequireName(errors, source, "claimName", path);
                break;
            case "nfs":
                RequireName(errors, source, "server", path);
                var nfsPath = source.Text("path");
                if (nfsPath.Length == 0)
                {
                    errors.Add(FieldError.Required(path.Child("path")));
                }
                else if (!nfsPath.StartsWith('/'))
                {
                    errors.Add(FieldError.Invalid(path.Child("path"), nfsPath, "must be an absolute path"));
                }

                break;
            case "csi":
                RequireName(errors, source, "driver", path);
                break;
        }
    }

    private static void RequireName(FieldErrorList errors, JsonObject source, string field, FieldPath path)
    {
        if (source.Text(field).Length == 0)
        {
            errors.Add(FieldError.Required(path.Child(field)));
        }
    }

    /// <summary>defaultMode and the key-to-path items of a secret or configMap volume (validateKeyToPath).</summary>
    private static void ValidateProjection(FieldErrorList errors, JsonObject source, FieldPath path)
    {
        AddMode(errors, source, "defaultMode", path);
        var index = 0;
        foreach (var item in source.ArrayAt("items").Objects())
        {
            var itemPath = path.Child("items").Index(index++);
            if (item.Text("key").Length == 0)
            {
                errors.Add(FieldError.Required(itemPath.Child("key")));
            }

            var target = item.Text("path");
            if (target.Length == 0)
            {
                errors.Add(FieldError.Required(itemPath.Child("path")));
            }

            PathValidation.AddLocalNonReservedPath(errors, target, itemPath.Child("path"));
            AddMode(errors, item, "mode", itemPath);
        }
    }

    private static void AddMode(FieldErrorList errors, JsonObject holder, string field, FieldPath path)
    {
        if (holder.LongAt(field) is { } mode and (< 0 or > MaxFileMode))
        {
            errors.Add(FieldError.Invalid(path.Child(field), mode, FileModeMessage));
        }
    }
}
