using System.Text.Json.Nodes;
using Timonel.Api.Objects;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry.Validation;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// A pod spec as upstream's ValidatePodSpec (pkg/apis/core/validation/validation.go), shared by pods and every
/// pod template, and ValidatePodTemplateSpec. Expects a defaulted spec (restartPolicy, dnsPolicy, protocols...).
/// </summary>
internal static class PodSpecValidation
{
    private static readonly string[] _restartPolicies = ["Always", "OnFailure", "Never"];
    private static readonly string[] _dnsPolicies = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];
    private static readonly string[] _tolerationOperators = ["Equal", "Exists"];

    /// <summary>ValidatePodTemplateSpec: template labels and annotations, the spec, and no ephemeral containers.</summary>
    public static void ValidateTemplate(FieldErrorList errors, JsonObject? template, FieldPath path)
    {
        var metadata = template?["metadata"] as JsonObject;
        // Upstream's paths here are <template>.labels and <template>.annotations (no "metadata").
        errors.AddRange(ObjectMetaValidation.ValidateLabels(JsonFields.GetStringMap(metadata, "labels"), path.Child("labels")));
        errors.AddRange(ObjectMetaValidation.ValidateAnnotations(JsonFields.GetStringMap(metadata, "annotations"), path.Child("annotations")));
        var spec = template?["spec"] as JsonObject;
        Validate(errors, spec, path.Child("spec"));
        if (spec.ArrayAt("ephemeralContainers") is { Count: > 0 })
        {
            errors.Add(FieldError.Forbidden(path.Child("spec", "ephemeralContainers"), "ephemeral containers not allowed in pod template"));
        }
    }

    public static void Validate(FieldErrorList errors, JsonObject? spec, FieldPath path)
    {
        var volumes = VolumeValidation.Validate(errors, spec.ArrayAt("volumes"), path.Child("volumes"));
        ValidateContainers(errors, spec.ArrayAt("containers"), volumes, path.Child("containers"));
        ValidateInitContainers(errors, spec.ArrayAt("initContainers"), spec.ArrayAt("containers"), volumes, path.Child("initContainers"));
        errors.AddEnum(spec.StringAt("restartPolicy"), path.Child("restartPolicy"), _restartPolicies);
        errors.AddEnum(spec.StringAt("dnsPolicy"), path.Child("dnsPolicy"), _dnsPolicies);
        errors.AddRange(ObjectMetaValidation.ValidateLabels(JsonFields.GetStringMap(spec, "nodeSelector"), path.Child("nodeSelector")));
        SecurityContextValidation.ValidatePod(errors, spec, path);
        foreach (var field in new[] { "serviceAccountName", "nodeName" })
        {
            if (spec.StringAt(field) is { Length: > 0 } name)
            {
                errors.AddInvalid(path.Child(field), name, NameValidation.NameIsDnsSubdomain(name, false));
            }
        }

        if (spec.LongAt("activeDeadlineSeconds") is { } deadline and (< 1 or > int.MaxValue))
        {
            errors.Add(FieldError.Invalid(path.Child("activeDeadlineSeconds"), deadline, NameValidation.InclusiveRangeError(1, int.MaxValue)));
        }

        foreach (var field in new[] { "hostname", "subdomain" })
        {
            if (spec.StringAt(field) is { Length: > 0 } value)
            {
                errors.AddDns1123Label(value, path.Child(field));
            }
        }

        AffinityValidation.Validate(errors, spec.ObjectAt("affinity"), path.Child("affinity"));
        ValidateTolerations(errors, spec.ArrayAt("tolerations"), path.Child("tolerations"));
        TopologySpreadValidation.Validate(errors, spec.ArrayAt("topologySpreadConstraints"), path.Child("topologySpreadConstraints"));
    }

    /// <summary>validateContainers: at least one, each valid, names unique, probes and hooks, no restartPolicy.</summary>
    private static void ValidateContainers(FieldErrorList errors, JsonArray? containers, IReadOnlySet<string> volumes, FieldPath path)
    {
        if (containers is not { Count: > 0 })
        {
            errors.Add(FieldError.Required(path));
            return;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var container in containers.Objects())
        {
            var containerPath = path.Index(index++);
            ContainerValidation.ValidateCommon(errors, container, volumes, containerPath);
            var name = container.Text("name");
            if (!names.Add(name))
            {
                errors.Add(FieldError.Duplicate(containerPath.Child("name"), name));
            }

            ProbeValidation.ValidateLifecycle(errors, container.ObjectAt("lifecycle"), containerPath.Child("lifecycle"));
            ProbeValidation.ValidateProbes(errors, container, containerPath);
            if (container["restartPolicy"] is not null)
            {
                errors.Add(FieldError.Forbidden(containerPath.Child("restartPolicy"), "may not be set for non-init containers"));
            }
        }
    }

    /// <summary>
    /// validateInitContainers: names unique among all containers; only restartable (sidecar) init containers may
    /// have probes and lifecycle hooks.
    /// </summary>
    private static void ValidateInitContainers(FieldErrorList errors, JsonArray? initContainers, JsonArray? containers, IReadOnlySet<string> volumes, FieldPath path)
    {
        var names = new HashSet<string>(containers.Objects().Select(c => c.Text("name")), StringComparer.Ordinal);
        var index = 0;
        foreach (var container in initContainers.Objects())
        {
            var containerPath = path.Index(index++);
            ContainerValidation.ValidateCommon(errors, container, volumes, containerPath);
            var restartPolicy = container.StringAt("restartPolicy");
            if (restartPolicy is not null && restartPolicy != "Always")
            {
                errors.Add(FieldError.NotSupported(containerPath.Child("restartPolicy"), restartPolicy, ["Always"]));
            }

            var name = container.Text("name");
            if (names.Contains(name))
            {
                errors.Add(FieldError.Duplicate(containerPath.Child("name"), name));
            }
            else if (name.Length > 0)
            {
                names.Add(name);
            }

            if (restartPolicy == "Always")
            {
                ProbeValidation.ValidateLifecycle(errors, container.ObjectAt("lifecycle"), containerPath.Child("lifecycle"));
                ProbeValidation.ValidateProbes(errors, container, containerPath);
                continue;
            }

            foreach (var field in new[] { "lifecycle", "livenessProbe", "readinessProbe", "startupProbe" })
            {
                if (container[field] is not null)
                {
                    errors.Add(FieldError.Forbidden(containerPath.Child(field), "may not be set for init containers without restartPolicy=Always"));
                }
            }
        }
    }

    /// <summary>ValidateTolerations: key, operator/value pairing, and effect.</summary>
    internal static void ValidateTolerations(FieldErrorList errors, JsonArray? tolerations, FieldPath path)
    {
        var index = 0;
        foreach (var toleration in tolerations.Objects())
        {
            var itemPath = path.Index(index++);
            var key = toleration.Text("key");
            var op = toleration.Text("operator");
            var effect = toleration.Text("effect");
            var value = toleration.Text("value");
            if (key.Length > 0)
            {
                errors.AddInvalid(itemPath.Child("key"), key, NameValidation.IsQualifiedName(key));
            }
            else if (op != "Exists")
            {
                errors.Add(FieldError.Invalid(itemPath.Child("operator"), op, "operator must be Exists when `key` is empty, which means \"match all values and all keys\""));
            }

            if (toleration["tolerationSeconds"] is not null && effect != "NoExecute")
            {
                errors.Add(FieldError.Invalid(itemPath.Child("effect"), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
            }

            switch (op)
            {
                case "Equal" or "":
                    var problems = NameValidation.IsValidLabelValue(value);
                    if (problems.Count > 0)
                    {
                        errors.Add(FieldError.Invalid(itemPath.Child("operator"), value, string.Join(";", problems)));
                    }

                    break;
                case "Exists":
                    if (value.Length > 0)
                    {
                        errors.Add(FieldError.Invalid(itemPath.Child("operator"), GoValue.Struct(
                            "core.Toleration",
                            ("Key", toleration.StringAt("key") ?? ""),
                            ("Operator", op),
                            ("Value", value),
                            ("Effect", toleration.StringAt("effect") ?? ""),
                            ("TolerationSeconds", GoValue.Pointer("int64", toleration["tolerationSeconds"] is not null))), "value must be empty when `operator` is 'Exists'"));
                    }

                    break;
                default:
                    errors.Add(FieldError.NotSupported(itemPath.Child("operator"), op, _tolerationOperators));
                    break;
            }

            errors.AddEnum(effect, itemPath.Child("effect"), NodeValidation.TaintEffects, required: false);
        }
    }
}
