using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry.Validation;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// The checks every container gets (upstream's validateContainerCommon in pkg/apis/core/validation/validation.go):
/// name, image, termination message policy, ports, env, envFrom, volume mounts, pull policy, resources and security context.
/// </summary>
internal static class ContainerValidation
{
    private static readonly string[] _pullPolicies = ["Always", "IfNotPresent", "Never"];
    private static readonly string[] _terminationMessagePolicies = ["File", "FallbackToLogsOnError"];

    public static void ValidateCommon(FieldErrorList errors, JsonObject container, IReadOnlySet<string> volumes, FieldPath path)
    {
        errors.AddRequiredDns1123Label(container.StringAt("name"), path.Child("name"));
        if (string.IsNullOrEmpty(container.StringAt("image")))
        {
            errors.Add(FieldError.Required(path.Child("image")));
        }

        var messagePolicy = container.StringAt("terminationMessagePolicy");
        if (string.IsNullOrEmpty(messagePolicy))
        {
            errors.Add(FieldError.Required(path.Child("terminationMessagePolicy"), "must be 'File' or 'FallbackToLogsOnError'"));
        }
        else
        {
            errors.AddEnum(messagePolicy, path.Child("terminationMessagePolicy"), _terminationMessagePolicies);
        }

        ValidatePorts(errors, container.ArrayAt("ports"), path.Child("ports"));
        EnvValidation.ValidateEnv(errors, container.ArrayAt("env"), path.Child("env"));
        EnvValidation.ValidateEnvFrom(errors, container.ArrayAt("envFrom"), path.Child("envFrom"));
        ValidateVolumeMounts(errors, container.ArrayAt("volumeMounts"), volumes, path.Child("volumeMounts"));
        errors.AddEnum(container.StringAt("imagePullPolicy"), path.Child("imagePullPolicy"), _pullPolicies);
        ResourceValidation.ValidateRequirements(errors, container.ObjectAt("resources"), path.Child("resources"));
        SecurityContextValidation.ValidateContainer(errors, container.ObjectAt("securityContext"), path.Child("securityContext"));
    }

    /// <summary>validateContainerPorts: unique valid names, container port 1-65535, host port, protocol.</summary>
    private static void ValidatePorts(FieldErrorList errors, JsonArray? ports, FieldPath path)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var port in ports.Objects())
        {
            var portPath = path.Index(index++);
            var name = port.StringAt("name") ?? string.Empty;
            if (name.Length > 0)
            {
                var problems = NameValidation.IsValidPortName(name);
                if (problems.Count > 0)
                {
                    errors.AddInvalid(portPath.Child("name"), name, problems);
                }
                else if (!names.Add(name))
                {
                    errors.Add(FieldError.Duplicate(portPath.Child("name"), name));
                }
            }

            var containerPort = port.LongAt("containerPort") ?? 0;
            if (containerPort == 0)
            {
                errors.Add(FieldError.Required(portPath.Child("containerPort")));
            }
            else
            {
                errors.AddInvalid(portPath.Child("containerPort"), containerPort, NameValidation.IsValidPortNum(containerPort));
            }

            if (port.LongAt("hostPort") is { } hostPort and not 0)
            {
                errors.AddInvalid(portPath.Child("hostPort"), hostPort, NameValidation.IsValidPortNum(hostPort));
            }

            errors.AddEnum(port.StringAt("protocol"), portPath.Child("protocol"), PortChecks.Protocols);
        }
    }

    /// <summary>ValidateVolumeMounts: name and mount path required, the volume must exist, mount paths unique.</summary>
    private static void ValidateVolumeMounts(FieldErrorList errors, JsonArray? mounts, IReadOnlySet<string> volumes, FieldPath path)
    {
        var mountPoints = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var mount in mounts.Objects())
        {
            var mountPath = path.Index(index++);
            var name = mount.Text("name");
            if (name.Length == 0)
            {
                errors.Add(FieldError.Required(mountPath.Child("name")));
            }

            if (!volumes.Contains(name))
            {
                errors.Add(FieldError.NotFound(mountPath.Child("name"), name));
            }

            var target = mount.Text("mountPath");
            if (target.Length == 0)
            {
                errors.Add(FieldError.Required(mountPath.Child("mountPath")));
            }

            if (!mountPoints.Add(target))
            {
                errors.Add(FieldError.Invalid(mountPath.Child("mountPath"), target, "must be unique"));
            }

            var subPath = mount.Text("subPath");
            var subPathExpr = mount.Text("subPathExpr");
            if (subPath.Length > 0)
            {
                // Upstream passes the list path, not the item's, for subPath errors.
                PathValidation.AddLocalDescendingPath(errors, subPath, path.Child("subPath"));
            }

            if (subPathExpr.Length > 0)
            {
                if (subPath.Length > 0)
                {
                    errors.Add(FieldError.Invalid(mountPath.Child("subPathExpr"), subPathExpr, "subPathExpr and subPath are mutually exclusive"));
                }

                PathValidation.AddLocalDescendingPath(errors, subPathExpr, path.Child("subPathExpr"));
            }
        }
    }
}
