using System.Text;
using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry.Validation;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>Pods on create and update (upstream's ValidatePodCreate and ValidatePodUpdate).</summary>
internal static class PodValidation
{
    // updatablePodSpecFields with InPlacePodVerticalScaling off, as Kubernetes 1.32 serves by default.
    private const string UpdatableFields =
        "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

    public static FieldErrorList ValidateCreate(JsonObject pod)
    {
        var errors = new FieldErrorList();
        var specPath = FieldPath.Root("spec");
        var spec = pod["spec"] as JsonObject;
        PodSpecValidation.Validate(errors, spec, specPath);
        if (spec.ArrayAt("ephemeralContainers") is { Count: > 0 })
        {
            errors.Add(FieldError.Forbidden(specPath.Child("ephemeralContainers"), "cannot be set on create"));
        }

        if (spec.StringAt("nodeName") is { Length: > 0 } && spec.ArrayAt("schedulingGates") is { Count: > 0 })
        {
            errors.Add(FieldError.Forbidden(specPath.Child("nodeName"), "cannot be set until all schedulingGates have been cleared"));
        }

        return errors;
    }

    public static FieldErrorList ValidateUpdate(JsonObject pod, JsonObject old)
    {
        var errors = new FieldErrorList();
        var specPath = FieldPath.Root("spec");
        var spec = pod["spec"] as JsonObject ?? [];
        var oldSpec = old["spec"] as JsonObject ?? [];
        PodSpecValidation.Validate(errors, spec, specPath);
        foreach (var list in new[] { "containers", "initContainers" })
        {
            if (!ValidateContainerUpdates(errors, spec.ArrayAt(list), oldSpec.ArrayAt(list), specPath.Child(list)))
            {
                return errors;
            }
        }

        if (!ValidateActiveDeadline(errors, spec, oldSpec, specPath.Child("activeDeadlineSeconds")))
        {
            return errors;
        }

        ValidateOnlyAddedTolerations(errors, spec.ArrayAt("tolerations"), oldSpec.ArrayAt("tolerations"), specPath.Child("tolerations"));
        if (JsonNode.DeepEquals(spec, oldSpec))
        {
            return errors;
        }

        var munged = Munge(spec, oldSpec);
        if (!JsonNode.DeepEquals(munged, oldSpec))
        {
            errors.Add(FieldError.Forbidden(specPath, "pod updates may not change fields other than " + UpdatableFields + "\n" + Diff(oldSpec, munged)));
        }

        return errors;
    }

    /// <summary>ValidateContainerUpdates: same number of containers, each with an image; false stops validation.</summary>
    private static bool ValidateContainerUpdates(FieldErrorList errors, JsonArray? containers, JsonArray? oldContainers, FieldPath path)
    {
        if ((containers?.Count ?? 0) != (oldContainers?.Count ?? 0))
        {
            errors.Add(FieldError.Forbidden(path, "pod updates may not add or remove containers"));
            return false;
        }

        var index = 0;
        foreach (var container in containers.Objects())
        {
            var image = container.Text("image");
            var imagePath = path.Index(index++).Child("image");
            if (image.Length == 0)
            {
                errors.Add(FieldError.Required(imagePath));
            }

            if (image.Trim().Length != image.Length)
            {
                errors.Add(FieldError.Invalid(imagePath, image, "must not have leading or trailing whitespace"));
            }
        }

        return true;
    }

    /// <summary>activeDeadlineSeconds may be set, or lowered, but not raised or removed; false stops validation.</summary>
    private static bool ValidateActiveDeadline(FieldErrorList errors, JsonObject spec, JsonObject oldSpec, FieldPath path)
    {
        var deadline = spec.LongAt("activeDeadlineSeconds");
        var oldDeadline = oldSpec.LongAt("activeDeadlineSeconds");
        if (deadline is { } value)
        {
            if (value is < 0 or > int.MaxValue)
            {
                errors.Add(FieldError.Invalid(path, value, NameValidation.InclusiveRangeError(0, int.MaxValue)));
                return false;
            }

            if (oldDeadline is { } previous && previous < value)
            {
                errors.Add(FieldError.Invalid(path, value, "must be less than or equal to previous value"));
                return false;
            }
        }
        else if (oldDeadline is not null)
        {
            errors.Add(FieldError.Invalid(path, null, "must not update from a positive integer to nil value"));
        }

        return true;
    }

    /// <summary>validateOnlyAddedTolerations: every old toleration must still be there (a NoExecute one may shorten its seconds).</summary>
    private static void ValidateOnlyAddedTolerations(FieldErrorList errors, JsonArray? tolerations, JsonArray? oldTolerations, FieldPath path)
    {
        var current = tolerations.Objects().ToList();
        foreach (var old in oldTolerations.Objects())
        {
            var kept = current.Any(t => JsonNode.DeepEquals(WithoutSeconds(t), WithoutSeconds(old))
                && (old["tolerationSeconds"] is null ? t["tolerationSeconds"] is null : t.LongAt("tolerationSeconds") is { } s && s <= old.LongAt("tolerationSeconds")));
            if (!kept)
            {
                errors.Add(FieldError.Forbidden(path, "existing toleration can not be modified except its tolerationSeconds"));
                return;
            }
        }
    }

    private static JsonObject WithoutSeconds(JsonObject toleration)
    {
        var copy = toleration.DeepClone().AsObject();
        copy.Remove("tolerationSeconds");
        return copy;
    }

    /// <summary>The new spec with the updatable fields put back to their old values.</summary>
    private static JsonObject Munge(JsonObject spec, JsonObject oldSpec)
    {
        var munged = spec.DeepClone().AsObject();
        foreach (var list in new[] { "containers", "initContainers" })
        {
            var oldContainers = oldSpec.ArrayAt(list);
            var index = 0;
            foreach (var container in munged.ArrayAt(list).Objects())
            {
                container["image"] = oldContainers?[index++]?["image"]?.DeepClone();
            }
        }

        foreach (var field in new[] { "activeDeadlineSeconds", "tolerations", "schedulingGates" })
        {
            Restore(munged, oldSpec, field);
        }

        if (oldSpec.LongAt("terminationGracePeriodSeconds") is < 0 && munged.LongAt("terminationGracePeriodSeconds") == 1)
        {
            Restore(munged, oldSpec, "terminationGracePeriodSeconds");
        }

        return munged;
    }

    private static void Restore(JsonObject munged, JsonObject oldSpec, string field)
    {
        if (oldSpec[field] is { } value)
        {
            munged[field] = value.DeepClone();
        }
        else
        {
            munged.Remove(field);
        }
    }

    /// <summary>
    /// A short diff of the changed top-level spec fields in the spirit of upstream's cmp.Diff(old, new):
    /// "-" old value, "+" new value, JSON rendered (upstream prints Go structs).
    /// </summary>
    private static string Diff(JsonObject oldSpec, JsonObject spec)
    {
        var builder = new StringBuilder("  core.PodSpec{\n");
        foreach (var field in oldSpec.Select(p => p.Key).Union(spec.Select(p => p.Key)).Order(StringComparer.Ordinal))
        {
            if (JsonNode.DeepEquals(oldSpec[field], spec[field]))
            {
                continue;
            }

            if (oldSpec[field] is { } before)
            {
                builder.Append("- \t").Append(field).Append(": ").Append(before.ToJsonString()).Append(",\n");
            }

            if (spec[field] is { } after)
            {
                builder.Append("+ \t").Append(field).Append(": ").Append(after.ToJsonString()).Append(",\n");
            }
        }

        return builder.Append("  }\n").ToString();
    }
}
