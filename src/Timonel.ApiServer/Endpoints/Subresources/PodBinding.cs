using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Endpoints.Subresources;

/// <summary>
/// Binds a pod to a node once, after upstream's BindingREST (pkg/registry/core/pod/storage/storage.go): validates
/// the v1 Binding, then in one guarded write sets spec.nodeName, merges the binding's annotations and marks
/// PodScheduled=True. A pod being deleted, already bound, or still gated is refused with 409 on pods/binding.
/// </summary>
public static class PodBinding
{
    // validation.ValidatePodBinding: the target kind may only be empty or Node.
    private static readonly string[] _targetKinds = ["Node", "<empty>"];

    /// <summary>Binds the pod <paramref name="name"/> as <paramref name="binding"/> asks; returns the bound pod.</summary>
    public static async Task<JsonObject> BindAsync(GenericStore pods, string ns, string name, JsonObject binding, bool dryRun, TimeProvider time, CancellationToken cancellationToken)
    {
        if (binding.Name() != name)
        {
            throw StatusException.BadRequest("name in URL does not match name in Binding object");
        }

        var node = Validate(binding, name);
        var uid = binding.Uid();
        var resourceVersion = binding.ResourceVersion();
        var annotations = binding.ObjectAt("metadata", "annotations");
        return await pods.GuaranteedUpdateAsync(ns, name, pod =>
        {
            // storage.Preconditions, checked by the store on the object it read: storage errors that the binding
            // storage passes on as the pod's conflicts.
            if (!string.IsNullOrEmpty(uid) && uid != pod.Uid())
            {
                throw StatusException.Conflict("", "pods", name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {pod.Uid()}");
            }

            if (!string.IsNullOrEmpty(resourceVersion) && resourceVersion != pod.ResourceVersion())
            {
                throw StatusException.Conflict("", "pods", name, $"Precondition failed: ResourceVersion in precondition: {resourceVersion}, ResourceVersion in object meta: {pod.ResourceVersion()}");
            }

            Assign(pod, node, annotations, time);
            return pod;
        }, new StorageOnlyStrategy(pods.Definition.Strategy), dryRun, cancellationToken);
    }

    /// <summary>setPodNodeAndMetadata's checks and changes; its refusals become conflicts on pods/binding (assignPod).</summary>
    private static void Assign(JsonObject pod, string node, JsonObject? annotations, TimeProvider time)
    {
        var name = pod.Name()!;
        if (pod.DeletionTimestamp() is not null)
        {
            throw BindingConflict(name, $"pod {name} is being deleted, cannot be assigned to a host");
        }

        if (pod.StringAt("spec", "nodeName") is { Length: > 0 } assigned)
        {
            throw BindingConflict(name, $"pod {name} is already assigned to node {GoValue.Quote(assigned)}");
        }

        if (pod.ArrayAt("spec", "schedulingGates") is { Count: > 0 })
        {
            throw BindingConflict(name, $"pod {name} has non-empty .spec.schedulingGates");
        }

        pod.Child("spec")["nodeName"] = node;
        if (annotations is { Count: > 0 })
        {
            var target = pod.Metadata()["annotations"] as JsonObject ?? [];
            foreach (var (key, value) in annotations)
            {
                target[key] = value?.DeepClone();
            }

            pod.Metadata()["annotations"] = target;
        }

        PodConditions.Set(pod, "PodScheduled", "True", time);
    }

    private static StatusException BindingConflict(string name, string detail) => StatusException.Conflict("", "pods/binding", name, detail);

    private static string Validate(JsonObject binding, string name)
    {
        var errors = new FieldErrorList();
        var target = FieldPath.Root("target");
        var kind = binding.StringAt("target", "kind") ?? "";
        if (kind.Length > 0 && kind != "Node")
        {
            errors.Add(FieldError.NotSupported(target.Child("kind"), kind, _targetKinds));
        }

        var node = binding.StringAt("target", "name") ?? "";
        if (node.Length == 0)
        {
            errors.Add(FieldError.Required(target.Child("name"), ""));
        }

        // Upstream returns these as a plain aggregate (a 500); a client's bad binding is its own fault: 422.
        return errors.Count > 0 ? throw StatusException.Invalid("", "Binding", name, errors) : node;
    }
}
