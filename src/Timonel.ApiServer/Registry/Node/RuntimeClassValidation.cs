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
        if (runtimeClass.ObjectAt("scheduling") is { } scheduling)
        {
            var path = FieldPath.Root("scheduling");
            errors.AddRange(ObjectMetaValidation.ValidateLabels(JsonFields.GetStringMap(scheduling, "nodeSelector"), path.Child("nodeSelector")));
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
