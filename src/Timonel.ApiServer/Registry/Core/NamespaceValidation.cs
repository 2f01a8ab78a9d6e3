using System.Text.Json.Nodes;
using Timonel.Api.Objects;
using Timonel.Api.Validation;
using Timonel.ApiServer.Registry.Validation;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>Namespaces (upstream's ValidateNamespace): each spec.finalizers entry is a qualified, standard or domain-prefixed name.</summary>
internal static class NamespaceValidation
{
    // helper.IsStandardFinalizerName: core's "kubernetes" and metav1's two.
    private static readonly string[] _standardFinalizers = ["kubernetes", "orphan", "foregroundDeletion"];

    public static FieldErrorList Validate(JsonObject ns)
    {
        var errors = new FieldErrorList();
        // Upstream reports every entry on the list path itself, without an index.
        var path = FieldPath.Root("spec", "finalizers");
        foreach (var finalizer in JsonFields.GetStringList(ns["spec"] as JsonObject, "finalizers"))
        {
            errors.AddInvalid(path, finalizer, NameValidation.IsQualifiedName(finalizer));
            if (!finalizer.Contains('/', StringComparison.Ordinal) && !_standardFinalizers.Contains(finalizer))
            {
                errors.Add(FieldError.Invalid(path, finalizer, "name is neither a standard finalizer name nor is it fully qualified"));
            }
        }

        return errors;
    }
}
