using System.Text.Json.Nodes;
using Timonel.Api.Objects;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry.Validation;

namespace Timonel.ApiServer.Registry.Node;

/// <summary>RuntimeClasses (upstream's pkg/apis/node/validation ValidateRuntimeClass and ValidateRuntimeClassUpdate).</summary>
internal static class RuntimeClassValidation
{
    public static FieldErrorList Validate(JsonObject runtimeClass)
    {
        var errors = new FieldErrorList();
        // NameIsDNSLabel on the handler: an empty one fails the label format too.
        errors.AddDns1123Label(runtimeClass.Text("handler"), FieldPath.Root("handler"));
        if (runtimeClass.ObjectAt("overhead", "podFixed") is { } podFixed)
        {
            // validateOverhead reuses the resource requirements check on podFixed as limits.
            Core.ResourceValidation.ValidateRequirements(errors, new JsonObject { ["limits"] = podFixed.DeepClone() }, FieldPath.Root("overhead"));
        }

        if (runtimeClass.ObjectAt("scheduling") is { } scheduling)
        {
            var path = FieldPath.Root("scheduling");
            errors.AddRange(ObjectMetaValidation.ValidateLabels(JsonFields.GetStringMap(scheduling, "nodeSelector"), path.Child("nodeSelector")));
            // Upstream's validateTolerations adds "tolerations" to a path that already ends in it.
            Core.PodSpecValidation.ValidateTolerations(errors, scheduling.ArrayAt("tolerations"), path.Child("tolerations", "tolerations"));
        }

        return errors;
    }

    public static FieldErrorList ValidateUpdate(JsonObject updated, JsonObject old)
    {
        var errors = Validate(updated);
        errors.AddImmutable(updated["handler"], old["handler"], FieldPath.Root("handler"));
        return errors;
    }
}
