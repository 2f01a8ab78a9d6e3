using k8s;
using k8s.Autorest;
using k8s.Models;
using Timonel.Client;
using Timonel.Client.Events;

namespace Timonel.Controllers;

/// <summary>
/// How pod controllers create their pods (upstream's RealPodControl and GetPodFromTemplate,
/// pkg/controller/controller_utils.go), shared by the ReplicaSet, DaemonSet, Job and StatefulSet controllers.
/// </summary>
internal static class PodControl
{
    /// <summary>
    /// The pod a template makes: its labels, annotations, finalizers and spec (copied, so the template stays
    /// untouched), the controller's reference, and a generateName of the controller's name and a dash, which the API
    /// server completes.
    /// </summary>
    public static V1Pod FromTemplate(V1PodTemplateSpec template, string controllerName, V1OwnerReference owner) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta
        {
            GenerateName = $"{controllerName}-",
            Labels = Copy(template.Metadata?.Labels),
            Annotations = template.Metadata?.Annotations is null ? null : Copy(template.Metadata.Annotations),
            Finalizers = template.Metadata?.Finalizers is null ? null : [.. template.Metadata.Finalizers],
            OwnerReferences = [owner],
        },
        Spec = KubernetesJson.Deserialize<V1PodSpec>(KubernetesJson.Serialize(template.Spec)),
    };

    /// <summary>
    /// RealPodControl.createPods: creates the pod, reporting SuccessfulCreate "Created pod: NAME" on the controller,
    /// or FailedCreate "Error creating: MESSAGE" before the failure is thrown.
    /// </summary>
    public static async Task<V1Pod> CreateAsync(IKubernetes client, IEventRecorder events, V1ObjectReference controller, V1Pod pod, CancellationToken cancellationToken)
    {
        V1Pod created;
        try
        {
            created = await client.CoreV1.CreateNamespacedPodAsync(pod, controller.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex)
        {
            events.Event(controller, "Warning", "FailedCreate", $"Error creating: {ApiErrors.Message(ex)}");
            throw;
        }

        events.Event(controller, "Normal", "SuccessfulCreate", $"Created pod: {created.Metadata.Name}");
        return created;
    }

    private static Dictionary<string, string> Copy(IDictionary<string, string>? source) =>
        source is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(source, StringComparer.Ordinal);
}
