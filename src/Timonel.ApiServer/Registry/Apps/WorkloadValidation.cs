using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry.Core;
using Timonel.ApiServer.Registry.Validation;

namespace Timonel.ApiServer.Registry.Apps;

/// <summary>
/// Deployments, ReplicaSets, DaemonSets and StatefulSets (upstream's pkg/apis/apps/validation/validation.go),
/// with the selector immutability their strategies add on update (pkg/registry/apps/*/strategy.go).
/// </summary>
internal static class WorkloadValidation
{
    private static readonly FieldPath _spec = FieldPath.Root("spec");

    public static FieldErrorList ValidateDeployment(JsonObject deployment)
    {
        var errors = new FieldErrorList();
        var spec = Spec(deployment);
        errors.AddNonnegative(spec, "replicas", _spec.Child("replicas"));
        errors.AddRequiredSelector(spec, _spec.Child("selector"), "deployment");
        ValidateReplicaSetTemplate(errors, spec);
        ValidateDeploymentStrategy(errors, spec.ObjectAt("strategy"), _spec.Child("strategy"));
        errors.AddNonnegative(spec, "minReadySeconds", _spec.Child("minReadySeconds"));
        errors.AddNonnegative(spec, "revisionHistoryLimit", _spec.Child("revisionHistoryLimit"));
        if (spec.LongAt("progressDeadlineSeconds") is { } deadline)
        {
            errors.AddNonnegative(spec, "progressDeadlineSeconds", _spec.Child("progressDeadlineSeconds"));
            if (deadline <= (spec.LongAt("minReadySeconds") ?? 0))
            {
                errors.Add(FieldError.Invalid(_spec.Child("progressDeadlineSeconds"), deadline, "must be greater than minReadySeconds"));
            }
        }

        return errors;
    }

    public static FieldErrorList ValidateReplicaSet(JsonObject replicaSet)
    {
        var errors = new FieldErrorList();
        var spec = Spec(replicaSet);
        errors.AddNonnegative(spec, "replicas", _spec.Child("replicas"));
        errors.AddNonnegative(spec, "minReadySeconds", _spec.Child("minReadySeconds"));
        // Upstream's ReplicaSet check says "deployment" too.
        errors.AddRequiredSelector(spec, _spec.Child("selector"), "deployment");
        ValidateReplicaSetTemplate(errors, spec);
        return errors;
    }

    public static FieldErrorList ValidateDaemonSet(JsonObject daemonSet)
    {
        var errors = new FieldErrorList();
        var spec = Spec(daemonSet);
        errors.AddLabelSelector(spec.ObjectAt("selector"), _spec.Child("selector"));
        errors.AddTemplateMatch(spec, _spec, "invalid label selector", skipEmpty: false);
        if (spec.ObjectAt("selector") is { } selector && FieldChecks.IsEmptySelector(selector))
        {
            errors.Add(FieldError.Invalid(_spec.Child("selector"), GoValue.LabelSelector(selector), "empty selector is invalid for daemonset"));
        }

        PodSpecValidation.ValidateTemplate(errors, spec.ObjectAt("template"), _spec.Child("template"));
        errors.AddTemplateRestartPolicy(spec, _spec, "Always");
        if (spec.At("template", "spec", "activeDeadlineSeconds") is { } deadline)
        {
            errors.Add(FieldError.Invalid(_spec.Child("template", "spec", "activeDeadlineSeconds"), deadline, "activeDeadlineSeconds in DaemonSet is not Supported"));
        }

        errors.AddNonnegative(spec, "minReadySeconds", _spec.Child("minReadySeconds"));
        errors.AddNonnegative(spec, "templateGeneration", _spec.Child("templateGeneration"));
        ValidateRollingStrategy(errors, spec.ObjectAt("updateStrategy"), _spec.Child("updateStrategy"), ["RollingUpdate", "OnDelete"], maxSurgeAllowed: true);
        errors.AddNonnegative(spec, "revisionHistoryLimit", _spec.Child("revisionHistoryLimit"));
        return errors;
    }

    public static FieldErrorList ValidateStatefulSet(JsonObject statefulSet)
    {
        var errors = new FieldErrorList();
        var spec = Spec(statefulSet);
        var policy = spec.StringAt("podManagementPolicy");
        if (string.IsNullOrEmpty(policy))
        {
            errors.Add(FieldError.Required(_spec.Child("podManagementPolicy")));
        }
        else if (policy is not ("OrderedReady" or "Parallel"))
        {
            errors.Add(FieldError.Invalid(_spec.Child("podManagementPolicy"), policy, "must be 'OrderedReady' or 'Parallel'"));
        }

        ValidateStatefulSetUpdateStrategy(errors, spec.ObjectAt("updateStrategy"));
        ValidateRetentionPolicy(errors, spec.ObjectAt("persistentVolumeClaimRetentionPolicy"), _spec.Child("persistentVolumeClaimRetentionPolicy"));
        errors.AddNonnegative(spec, "revisionHistoryLimit", _spec.Child("revisionHistoryLimit"));
        errors.AddNonnegative(spec, "replicas", _spec.Child("replicas"));
        if (spec.LongAt("ordinals", "start") is { } start)
        {
            errors.AddRange(ObjectMetaValidation.ValidateNonnegativeField(start, _spec.Child("ordinals.start")));
        }

        errors.AddRequiredSelector(spec, _spec.Child("selector"), "statefulset");
        if (errors.AddTemplateMatch(spec, _spec, string.Empty))
        {
            // Upstream checks only the template's metadata here, not its pod spec: volume mounts may name volumeClaimTemplates.
            var metadata = spec.ObjectAt("template", "metadata");
            errors.AddRange(ObjectMetaValidation.ValidateLabels(Api.Objects.JsonFields.GetStringMap(metadata, "labels"), _spec.Child("template", "labels")));
            errors.AddRange(ObjectMetaValidation.ValidateAnnotations(Api.Objects.JsonFields.GetStringMap(metadata, "annotations"), _spec.Child("template", "annotations")));
        }

        errors.AddTemplateRestartPolicy(spec, _spec, "Always");
        if (spec.At("template", "spec", "activeDeadlineSeconds") is not null)
        {
            errors.Add(FieldError.Forbidden(_spec.Child("template", "spec", "activeDeadlineSeconds"), "activeDeadlineSeconds in StatefulSet is not Supported"));
        }

        errors.AddNonnegative(spec, "minReadySeconds", _spec.Child("minReadySeconds"));
        return errors;
    }

    /// <summary>Deployments, ReplicaSets and DaemonSets: the new object's rules plus an immutable selector.</summary>
    public static FieldErrorList ValidateSelectorUpdate(FieldErrorList errors, JsonObject updated, JsonObject old)
    {
        errors.AddImmutable(updated.At("spec", "selector"), old.At("spec", "selector"), _spec.Child("selector"), GoValue.LabelSelector);
        return errors;
    }

    /// <summary>ValidateStatefulSetUpdate: only replicas, ordinals, template, updateStrategy, persistentVolumeClaimRetentionPolicy and minReadySeconds may change.</summary>
    public static FieldErrorList ValidateStatefulSetUpdate(JsonObject updated, JsonObject old)
    {
        var errors = ValidateStatefulSet(updated);
        var spec = Spec(updated).DeepClone().AsObject();
        var oldSpec = Spec(old);
        foreach (var field in new[] { "replicas", "ordinals", "template", "updateStrategy", "minReadySeconds", "persistentVolumeClaimRetentionPolicy" })
        {
            spec.Remove(field);
            if (oldSpec[field] is { } value)
            {
                spec[field] = value.DeepClone();
            }
        }

        if (!JsonNode.DeepEquals(spec, oldSpec))
        {
            // The Kubernetes 1.32 wording; later releases also let revisionHistoryLimit change.
            errors.Add(FieldError.Forbidden(_spec, "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"));
        }

        return errors;
    }

    private static JsonObject Spec(JsonObject obj) => obj["spec"] as JsonObject ?? [];

    /// <summary>ValidatePodTemplateSpecForReplicaSet: labels match, a valid pod template, restartPolicy Always, no deadline.</summary>
    private static void ValidateReplicaSetTemplate(FieldErrorList errors, JsonObject spec)
    {
        if (!errors.AddTemplateMatch(spec, _spec, "invalid label selector"))
        {
            return;
        }

        PodSpecValidation.ValidateTemplate(errors, spec.ObjectAt("template"), _spec.Child("template"));
        errors.AddTemplateRestartPolicy(spec, _spec, "Always");
        if (spec.At("template", "spec", "activeDeadlineSeconds") is { } deadline)
        {
            errors.Add(FieldError.Invalid(_spec.Child("template", "spec", "activeDeadlineSeconds"), deadline, "activeDeadlineSeconds in ReplicaSet is not Supported"));
        }
    }

    /// <summary>ValidateDeploymentStrategy: Recreate without rollingUpdate, or RollingUpdate with valid surge/unavailable.</summary>
    private static void ValidateDeploymentStrategy(FieldErrorList errors, JsonObject? strategy, FieldPath path)
    {
        if (strategy?.StringAt("type") == "Recreate")
        {
            if (strategy["rollingUpdate"] is not null)
            {
                errors.Add(FieldError.Forbidden(path.Child("rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'"));
            }

            return;
        }

        ValidateRollingStrategy(errors, strategy, path, ["Recreate", "RollingUpdate"], maxSurgeAllowed: true);
    }

    /// <summary>
    /// The RollingUpdate branch shared by deployments and daemon sets: rollingUpdate required, maxUnavailable and
    /// maxSurge non-negative ints or percents, not both zero, maxUnavailable at most 100%.
    /// </summary>
    private static void ValidateRollingStrategy(FieldErrorList errors, JsonObject? strategy, FieldPath path, string[] supported, bool maxSurgeAllowed)
    {
        var type = strategy?.StringAt("type") ?? string.Empty;
        if (type == "OnDelete" && supported.Contains(type))
        {
            return;
        }

        if (type != "RollingUpdate")
        {
            errors.Add(FieldError.NotSupported(path, strategy, supported));
            return;
        }

        if (strategy?["rollingUpdate"] is not JsonObject rolling)
        {
            errors.Add(FieldError.Required(path.Child("rollingUpdate"), supported.Contains("Recreate") ? "this should be defaulted and never be nil" : string.Empty));
            return;
        }

        var rollingPath = path.Child("rollingUpdate");
        AddIntOrPercent(errors, rolling["maxUnavailable"], rollingPath.Child("maxUnavailable"));
        if (maxSurgeAllowed)
        {
            AddIntOrPercent(errors, rolling["maxSurge"], rollingPath.Child("maxSurge"));
        }

        if (IntOrPercentValue(rolling["maxUnavailable"]) == 0 && IntOrPercentValue(rolling["maxSurge"]) == 0)
        {
            // rollingUpdate.MaxUnavailable is an intstr.IntOrString value in the internal types.
            errors.Add(FieldError.Invalid(rollingPath.Child("maxUnavailable"), GoValue.IntOrString(rolling["maxUnavailable"]), "may not be 0 when `maxSurge` is 0"));
        }

        if (rolling["maxUnavailable"] is JsonValue value && value.TryGetValue<string>(out var text) && text.EndsWith('%') && IntOrPercentValue(value) > 100)
        {
            errors.Add(FieldError.Invalid(rollingPath.Child("maxUnavailable"), value, "must not be greater than 100%"));
        }
    }

    private static void ValidateStatefulSetUpdateStrategy(FieldErrorList errors, JsonObject? strategy)
    {
        var path = _spec.Child("updateStrategy");
        switch (strategy?.StringAt("type") ?? string.Empty)
        {
            case "":
                errors.Add(FieldError.Required(path));
                break;
            case "OnDelete":
                if (strategy?["rollingUpdate"] is { } rolling)
                {
                    // The dereferenced *apps.RollingUpdateStatefulSetStrategy, as %#v prints it.
                    var shown = GoValue.Struct(
                        "apps.RollingUpdateStatefulSetStrategy",
                        ("Partition", rolling["partition"] is JsonValue partition && partition.TryGetValue<long>(out var number) ? number : 0L),
                        ("MaxUnavailable", GoValue.Pointer("intstr.IntOrString", rolling["maxUnavailable"] is not null)));
                    errors.Add(FieldError.Invalid(path.Child("rollingUpdate"), shown, "only allowed for updateStrategy 'RollingUpdate'"));
                }

                break;
            case "RollingUpdate":
                if (strategy?["rollingUpdate"] is JsonObject rollingUpdate)
                {
                    errors.AddNonnegative(rollingUpdate, "partition", path.Child("rollingUpdate", "partition"));
                    if (rollingUpdate["maxUnavailable"] is { } maxUnavailable)
                    {
                        AddIntOrPercent(errors, maxUnavailable, path.Child("rollingUpdate", "maxUnavailable"));
                        if (IntOrPercentValue(maxUnavailable) == 0)
                        {
                            errors.Add(FieldError.Invalid(path.Child("rollingUpdate", "maxUnavailable"), maxUnavailable, "cannot be 0"));
                        }
                    }
                }

                break;
            default:
                errors.Add(FieldError.Invalid(path, strategy, "must be 'RollingUpdate' or 'OnDelete'"));
                break;
        }
    }

    private static void ValidateRetentionPolicy(FieldErrorList errors, JsonObject? policy, FieldPath path)
    {
        foreach (var field in new[] { "whenDeleted", "whenScaled" })
        {
            if (policy?.StringAt(field) is { } value && value is not ("Retain" or "Delete"))
            {
                errors.Add(FieldError.NotSupported(path.Child(field), value, ["Retain", "Delete"]));
            }
        }
    }

    /// <summary>ValidatePositiveIntOrPercent.</summary>
    private static void AddIntOrPercent(FieldErrorList errors, JsonNode? node, FieldPath path)
    {
        if (node is JsonValue value && value.TryGetValue<string>(out var text))
        {
            errors.AddInvalid(path, text, NameValidation.IsValidPercent(text));
        }
        else if (node is JsonValue number && number.AsLong() is { } whole)
        {
            errors.AddRange(ObjectMetaValidation.ValidateNonnegativeField(whole, path));
        }
    }

    private static long IntOrPercentValue(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) =>
            long.TryParse(text.TrimEnd('%'), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var percent) ? percent : -1,
        JsonValue value => value.AsLong() ?? 0,
        _ => 0,
    };
}
