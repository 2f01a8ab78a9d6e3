using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry.Validation;

namespace Timonel.ApiServer.Registry.Storage;

/// <summary>StorageClasses (upstream's pkg/apis/storage/validation ValidateStorageClass and ValidateStorageClassUpdate).</summary>
internal static class StorageClassValidation
{
    public static FieldErrorList Validate(JsonObject storageClass)
    {
        var errors = new FieldErrorList();
        var provisioner = storageClass.Text("provisioner");
        if (provisioner.Length == 0)
        {
            errors.Add(FieldError.Required(FieldPath.Root("provisioner")));
        }
        else
        {
            errors.AddInvalid(FieldPath.Root("provisioner"), provisioner, NameValidation.IsQualifiedName(provisioner.ToLowerInvariant()));
        }

        errors.AddEnum(storageClass.StringAt("reclaimPolicy"), FieldPath.Root("reclaimPolicy"), ["Delete", "Retain"], required: false);
        errors.AddEnum(storageClass.StringAt("volumeBindingMode"), FieldPath.Root("volumeBindingMode"), ["Immediate", "WaitForFirstConsumer"], required: false);
        return errors;
    }

    public static FieldErrorList ValidateUpdate(JsonObject storageClass, JsonObject old)
    {
        var errors = Validate(storageClass);
        foreach (var field in new[] { "parameters", "provisioner", "reclaimPolicy" })
        {
            if (!JsonNode.DeepEquals(storageClass[field], old[field]))
            {
                errors.Add(FieldError.Forbidden(FieldPath.Root(field), $"updates to {field} are forbidden."));
            }
        }

        errors.AddImmutable(storageClass["volumeBindingMode"], old["volumeBindingMode"], FieldPath.Root("volumeBindingMode"));
        return errors;
    }
}
