using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Timonel.Api.Objects;

namespace Timonel.Api.Validation;

/// <summary>
/// Validation of <c>metadata</c> on create and update, as apimachinery's pkg/api/validation/objectmeta.go
/// plus the built-in finalizer-name rule of kubernetes' pkg/apis/core/validation.
/// </summary>
public static class ObjectMetaValidation
{
    /// <summary>Upstream's TotalAnnotationSizeLimitB: 256 KiB over all keys and values.</summary>
    public const int TotalAnnotationSizeLimitBytes = 256 * 1024;

    /// <summary>Upstream's FieldImmutableErrorMsg.</summary>
    public const string FieldImmutableErrorMessage = "field is immutable";

    /// <summary>Upstream's IsNegativeErrorMsg.</summary>
    public const string IsNegativeErrorMessage = "must be greater than or equal to 0";

    // metav1.FinalizerOrphanDependents, metav1.FinalizerDeleteDependents and corev1.FinalizerKubernetes.
    private static readonly HashSet<string> _standardFinalizers = ["kubernetes", "orphan", "foregroundDeletion"];

    /// <summary>
    /// Validates metadata on create (after name generation): name (or generateName) by <paramref name="nameFn"/>,
    /// namespace presence by scope, generation, labels, annotations, owner references and finalizers.
    /// <paramref name="builtIn"/> adds the rule that unqualified finalizer names must be standard ones.
    /// </summary>
    public static FieldErrorList ValidateObjectMeta(JsonObject? metadata, bool requiresNamespace, ValidateNameFunc nameFn, FieldPath path, bool builtIn = true)
    {
        var errors = new FieldErrorList();
        var generateName = JsonFields.GetString(metadata, "generateName") ?? string.Empty;
        if (generateName.Length != 0)
        {
            foreach (var message in nameFn(generateName, true))
            {
                errors.Add(FieldError.Invalid(path.Child("generateName"), generateName, message));
            }
        }
        var name = JsonFields.GetString(metadata, "name") ?? string.Empty;
        if (name.Length == 0)
        {
            errors.Add(FieldError.Required(path.Child("name"), "name or generateName is required"));
        }
        else
        {
            foreach (var message in nameFn(name, false))
            {
                errors.Add(FieldError.Invalid(path.Child("name"), name, message));
            }
        }
        var ns = JsonFields.GetString(metadata, "namespace") ?? string.Empty;
        if (requiresNamespace)
        {
            if (ns.Length == 0)
            {
                errors.Add(FieldError.Required(path.Child("namespace")));
            }
            else
            {
                foreach (var message in NameValidation.NameIsDnsLabel(ns, false))
                {
                    errors.Add(FieldError.Invalid(path.Child("namespace"), ns, message));
                }
            }
        }
        else if (ns.Length != 0)
        {
            errors.Add(FieldError.Forbidden(path.Child("namespace"), "not allowed on this type"));
        }
        errors.AddRange(ValidateNonnegativeField(JsonFields.GetInt64(metadata, "generation") ?? 0, path.Child("generation")));
        errors.AddRange(ValidateLabels(JsonFields.GetStringMap(metadata, "labels"), path.Child("labels")));
        errors.AddRange(ValidateAnnotations(JsonFields.GetStringMap(metadata, "annotations"), path.Child("annotations")));
        errors.AddRange(ValidateOwnerReferences(metadata, path.Child("ownerReferences")));
        var finalizers = JsonFields.GetStringList(metadata, "finalizers");
        errors.AddRange(ValidateFinalizers(finalizers, path.Child("finalizers")));
        if (builtIn)
        {
            errors.AddRange(ValidateKubeFinalizerNames(finalizers, path.Child("finalizers")));
        }
        return errors;
    }

    /// <summary>
    /// Validates metadata on update: no new finalizers once deleting, resourceVersion present, generation not
    /// decremented, immutable identity fields, then labels, annotations and owner references.
    /// </summary>
    public static FieldErrorList ValidateObjectMetaUpdate(JsonObject? newMeta, JsonObject? oldMeta, FieldPath path, bool builtIn = true)
    {
        var errors = new FieldErrorList();
        var newFinalizers = JsonFields.GetStringList(newMeta, "finalizers");
        if (JsonFields.GetString(oldMeta, "deletionTimestamp") is not null)
        {
            var extra = newFinalizers.Except(JsonFields.GetStringList(oldMeta, "finalizers"), StringComparer.Ordinal)
                .Order(StringComparer.Ordinal).ToList();
            if (extra.Count != 0)
            {
                // Upstream renders the set with %#v: []string{"a", "b"}.
                var rendered = "[]string{" + string.Join(", ", extra.Select(Internal.GoFormat.Quote)) + "}";
                errors.Add(FieldError.Forbidden(path.Child("finalizers"), "no new finalizers can be added if the object is being deleted, found new finalizers " + rendered));
            }
        }
        var resourceVersion = JsonFields.GetString(newMeta, "resourceVersion") ?? string.Empty;
        if (resourceVersion.Length == 0)
        {
            errors.Add(FieldError.Invalid(path.Child("resourceVersion"), resourceVersion, "must be specified for an update"));
        }
        var newGeneration = JsonFields.GetInt64(newMeta, "generation") ?? 0;
        if (newGeneration < (JsonFields.GetInt64(oldMeta, "generation") ?? 0))
        {
            errors.Add(FieldError.Invalid(path.Child("generation"), newGeneration, "must not be decremented"));
        }
        foreach (var field in new[] { "name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds" })
        {
            errors.AddRange(ValidateImmutableField(newMeta?[field], oldMeta?[field], path.Child(field)));
        }
        errors.AddRange(ValidateLabels(JsonFields.GetStringMap(newMeta, "labels"), path.Child("labels")));
        errors.AddRange(ValidateAnnotations(JsonFields.GetStringMap(newMeta, "annotations"), path.Child("annotations")));
        errors.AddRange(ValidateOwnerReferences(newMeta, path.Child("ownerReferences")));
        if (builtIn)
        {
            errors.AddRange(ValidateKubeFinalizerNames(newFinalizers, path.Child("finalizers")));
        }
        return errors;
    }

    /// <summary>Label keys must be qualified names and values valid label values (errors are on the labels path itself, as upstream).</summary>
    public static FieldErrorList ValidateLabels(IReadOnlyDictionary<string, string> labels, FieldPath path)
    {
        var errors = new FieldErrorList();
        foreach (var (key, value) in labels)
        {
            errors.AddRange(NameValidation.IsQualifiedName(key).Select(m => FieldError.Invalid(path, key, m)));
            errors.AddRange(NameValidation.IsValidLabelValue(value).Select(m => FieldError.Invalid(path, value, m)));
        }
        return errors;
    }

    /// <summary>Annotation keys must be qualified names (case-insensitively) and all keys and values together at most 256 KiB.</summary>
    public static FieldErrorList ValidateAnnotations(IReadOnlyDictionary<string, string> annotations, FieldPath path)
    {
        var errors = new FieldErrorList();
        foreach (var key in annotations.Keys)
        {
            errors.AddRange(NameValidation.IsQualifiedName(key.ToLowerInvariant()).Select(m => FieldError.Invalid(path, key, m)));
        }
        if (AnnotationsSize(annotations) > TotalAnnotationSizeLimitBytes)
        {
            errors.Add(FieldError.TooLong(path, TotalAnnotationSizeLimitBytes));
        }
        return errors;
    }

    /// <summary>What the annotation limit counts: the UTF-8 bytes of every key and value.</summary>
    public static long AnnotationsSize(IEnumerable<KeyValuePair<string, string>> annotations) =>
        annotations.Sum(a => (long)Encoding.UTF8.GetByteCount(a.Key) + Encoding.UTF8.GetByteCount(a.Value));

    /// <summary>Finalizer names must be qualified names; "orphan" and "foregroundDeletion" exclude each other.</summary>
    public static FieldErrorList ValidateFinalizers(IReadOnlyList<string> finalizers, FieldPath path)
    {
        var errors = new FieldErrorList();
        foreach (var finalizer in finalizers)
        {
            errors.AddRange(NameValidation.IsQualifiedName(finalizer).Select(m => FieldError.Invalid(path, finalizer, m)));
        }
        if (finalizers.Contains("orphan") && finalizers.Contains("foregroundDeletion"))
        {
            errors.Add(FieldError.Invalid(path, GoValue.Strings(finalizers), "finalizer orphan and foregroundDeletion cannot be both set"));
        }
        return errors;
    }

    /// <summary>Built-in types only: a finalizer without a '/' must be a standard one (kubernetes, orphan, foregroundDeletion).</summary>
    public static FieldErrorList ValidateKubeFinalizerNames(IReadOnlyList<string> finalizers, FieldPath path)
    {
        var errors = new FieldErrorList();
        for (var i = 0; i < finalizers.Count; i++)
        {
            if (!finalizers[i].Contains('/', StringComparison.Ordinal) && !_standardFinalizers.Contains(finalizers[i]))
            {
                errors.Add(FieldError.Invalid(path.Index(i), finalizers[i], "name is neither a standard finalizer name nor is it fully qualified"));
            }
        }
        return errors;
    }

    /// <summary>Owner references need apiVersion with a version, kind, name and uid; Events cannot own; one controller at most.</summary>
    public static FieldErrorList ValidateOwnerReferences(JsonObject? metadata, FieldPath path)
    {
        var errors = new FieldErrorList();
        var items = JsonFields.GetArray(metadata, "ownerReferences");
        if (items is null)
        {
            return errors;
        }
        string? firstController = null;
        foreach (var item in items.OfType<JsonObject>())
        {
            var reference = OwnerReference.FromJson(item);
            var gvk = GroupVersionKind.FromApiVersionAndKind(reference.ApiVersion, reference.Kind);
            if (gvk.Version.Length == 0)
            {
                errors.Add(FieldError.Invalid(path.Child("apiVersion"), reference.ApiVersion, "version must not be empty"));
            }
            if (gvk.Kind.Length == 0)
            {
                errors.Add(FieldError.Invalid(path.Child("kind"), reference.Kind, "kind must not be empty"));
            }
            if (reference.Name.Length == 0)
            {
                errors.Add(FieldError.Invalid(path.Child("name"), reference.Name, "name must not be empty"));
            }
            if (reference.Uid.Length == 0)
            {
                errors.Add(FieldError.Invalid(path.Child("uid"), reference.Uid, "uid must not be empty"));
            }
            // Upstream's BannedOwners: only core/v1 Event.
            if (gvk is { Group: "", Version: "v1", Kind: "Event" })
            {
                // The metav1.OwnerReference value, as %#v prints it.
                var shown = GoValue.Struct(
                    "v1.OwnerReference",
                    ("APIVersion", reference.ApiVersion),
                    ("Kind", reference.Kind),
                    ("Name", reference.Name),
                    ("UID", reference.Uid),
                    ("Controller", GoValue.Pointer("bool", reference.Controller is not null)),
                    ("BlockOwnerDeletion", GoValue.Pointer("bool", reference.BlockOwnerDeletion is not null)));
                errors.Add(FieldError.Invalid(path, shown, gvk + " is disallowed from being an owner"));
            }
            if (reference.Controller == true)
            {
                var current = reference.Kind + "/" + reference.Name;
                if (firstController is null)
                {
                    firstController = current;
                }
                else
                {
                    errors.Add(FieldError.Invalid(path, items, string.Create(CultureInfo.InvariantCulture,
                        $"Only one reference can have Controller set to true. Found \"true\" in references for {firstController} and {current}")));
                }
            }
        }
        return errors;
    }

    /// <summary>
    /// An immutable field must deep-equal its old value; otherwise "field is immutable" with the new value, shown
    /// through <paramref name="show"/> when the Go type upstream compares is known (else as unstructured data).
    /// </summary>
    public static FieldErrorList ValidateImmutableField(JsonNode? newValue, JsonNode? oldValue, FieldPath path, Func<JsonNode?, GoValue>? show = null)
    {
        var errors = new FieldErrorList();
        if (!JsonNode.DeepEquals(newValue, oldValue))
        {
            errors.Add(FieldError.Invalid(path, show is null ? newValue : show(newValue), FieldImmutableErrorMessage));
        }
        return errors;
    }

    /// <summary>A value that must not be negative.</summary>
    public static FieldErrorList ValidateNonnegativeField(long value, FieldPath path)
    {
        var errors = new FieldErrorList();
        if (value < 0)
        {
            errors.Add(FieldError.Invalid(path, value, IsNegativeErrorMessage));
        }
        return errors;
    }
}
