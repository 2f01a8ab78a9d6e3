using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// Namespaces (pkg/registry/core/namespace/strategy.go and storage.go): created Active with the "kubernetes"
/// finalizer in spec.finalizers, named by the kubernetes.io/metadata.name label; deleting one makes it
/// Terminating, and it stays until the namespace controller has emptied spec.finalizers (through /finalize)
/// and deletes it again.
/// </summary>
public sealed class NamespaceStrategy : ResourceStrategyBase, IDeletionHoldStrategy, IDeleteAdmissionStrategy
{
    /// <summary>api.FinalizerKubernetes.</summary>
    public const string KubernetesFinalizer = "kubernetes";

    /// <summary>
    /// The namespaces the NamespaceLifecycle admission plugin never lets go (apiserver's
    /// pkg/admission/plugin/namespace/lifecycle/admission.go, Register: default, kube-system, kube-public).
    /// </summary>
    private static readonly HashSet<string> _immortalNamespaces = ["default", "kube-system", "kube-public"];

    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        new("Status", "string", (ns, _) => ns.StringAt("status", "phase") ?? "", 0, "", "The status of the namespace"),
        CommonColumns.Age,
    ];

    public override void PrepareForCreate(JsonObject created)
    {
        StatusRules.ResetStatus(created, new JsonObject { ["phase"] = "Active" });

        // Required on create only: it is the namespace controller's to remove later.
        var spec = created.Child("spec");
        if (spec["finalizers"] is not JsonArray finalizers)
        {
            finalizers = [];
            spec["finalizers"] = finalizers;
        }

        if (!TableCells.Strings(finalizers).Contains(KubernetesFinalizer))
        {
            finalizers.Add(KubernetesFinalizer);
        }
    }

    /// <summary>spec.finalizers change only through /finalize, status only through /status.</summary>
    public override void PrepareForUpdate(JsonObject updated, JsonObject old)
    {
        StatusRules.KeepStatus(updated, old);
        if (old.At("spec", "finalizers") is { } finalizers)
        {
            updated.Child("spec")["finalizers"] = finalizers.DeepClone();
        }
        else
        {
            updated.ObjectAt("spec")?.Remove("finalizers");
        }
    }

    public override void ApplyDefaults(JsonObject obj)
    {
        // SetDefaults_Namespace: the label always carries the name (it cannot be set to anything else).
        if (obj.Name() is { Length: > 0 } name)
        {
            obj.Metadata().Child("labels")["kubernetes.io/metadata.name"] = name;
        }

        ContainerDefaults.SetIfEmpty(obj.Child("status"), "phase", "Active");
    }

    /// <summary>Namespace names are DNS-1123 labels (ValidateNamespaceName).</summary>
    public override ValidateNameFunc NameValidation => Api.Validation.NameValidation.NameIsDnsLabel;

    public override FieldErrorList Validate(JsonObject obj) => NamespaceValidation.Validate(obj);

    public override string? GetSelectableField(JsonObject obj, string field) =>
        field == "status.phase" ? obj.StringAt("status", "phase") ?? "" : null;

    /// <summary>NamespaceLifecycle's Admit: 403 "namespaces "default" is forbidden: this namespace may not be deleted".</summary>
    public void AdmitDelete(string name)
    {
        if (_immortalNamespaces.Contains(name))
        {
            throw StatusException.Forbidden("", "namespaces", name, "this namespace may not be deleted");
        }
    }

    /// <summary>
    /// The first delete request only marks the namespace Terminating, whatever spec.finalizers holds; later ones
    /// remove it once spec.finalizers is empty (upstream's REST.Delete).
    /// </summary>
    public bool HoldOnDelete(JsonObject marked)
    {
        if (marked.DeletionTimestamp() is null)
        {
            marked.Child("status")["phase"] = "Terminating";
            return true;
        }

        return HoldsRemoval(marked);
    }

    /// <summary>ShouldDeleteNamespaceDuringUpdate: a namespace stays while spec.finalizers is not empty.</summary>
    public bool HoldsRemoval(JsonObject obj) => obj.ArrayAt("spec", "finalizers") is { Count: > 0 };
}
