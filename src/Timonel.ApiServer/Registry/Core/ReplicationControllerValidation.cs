using System.Text.Json.Nodes;
using Timonel.Api.Objects;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry.Validation;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// ReplicationControllers (upstream's ValidateReplicationControllerSpec and ValidatePodTemplateSpecForRC in
/// pkg/apis/core/validation/validation.go): the selector is a plain label map that must be non-empty and match the
/// template's labels.
/// </summary>
internal static class ReplicationControllerValidation
{
    private static readonly FieldPath _spec = FieldPath.Root("spec");

    public static FieldErrorList Validate(JsonObject controller)
    {
        var errors = new FieldErrorList();
        var spec = controller.ObjectAt("spec") ?? [];
        errors.AddNonnegative(spec, "minReadySeconds", _spec.Child("minReadySeconds"));
        var selector = JsonFields.GetStringMap(spec, "selector");
        if (selector.Count == 0)
        {
            errors.Add(FieldError.Required(_spec.Child("selector")));
        }

        errors.AddNonnegative(spec, "replicas", _spec.Child("replicas"));
        ValidateTemplate(errors, spec.ObjectAt("template"), selector, _spec.Child("template"));
        return errors;
    }

    private static void ValidateTemplate(FieldErrorList errors, JsonObject? template, IReadOnlyDictionary<string, string> selector, FieldPath path)
    {
        if (template is null)
        {
            errors.Add(FieldError.Required(path));
            return;
        }

        var labels = JsonFields.GetStringMap(template.ObjectAt("metadata"), "labels");
        if (selector.Count > 0 && selector.Any(pair => !labels.TryGetValue(pair.Key, out var value) || value != pair.Value))
        {
            errors.Add(FieldError.Invalid(path.Child("metadata", "labels"), GoValue.StringMap(template.ObjectAt("metadata", "labels")), "selector does not match labels in " + path));
        }

        PodSpecValidation.ValidateTemplate(errors, template, path);
        var restartPolicy = template.StringAt("spec", "restartPolicy") ?? string.Empty;
        if (restartPolicy != "Always")
        {
            errors.Add(FieldError.NotSupported(path.Child("spec", "restartPolicy"), restartPolicy, ["Always"]));
        }

        if (template.At("spec", "activeDeadlineSeconds") is not null)
        {
            errors.Add(FieldError.Forbidden(path.Child("spec", "activeDeadlineSeconds"), "activeDeadlineSeconds in ReplicationController is not Supported"));
        }
    }
}
