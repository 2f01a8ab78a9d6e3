using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Timonel.Client;
using Timonel.Client.Events;

namespace Timonel.Controllers.Job;

/// <summary>
/// The job controller's writes to pods with upstream's events (RealPodControl, pkg/controller/controller_utils.go):
/// SuccessfulCreate "Created pod: x", FailedCreate "Error creating: ...", SuccessfulDelete "Deleted pod: x",
/// FailedDelete "Error deleting: ...", all on the job.
/// </summary>
internal sealed class JobPodControl
{
    private readonly IKubernetes _client;
    private readonly IEventRecorder _events;

    public JobPodControl(IKubernetes client, IEventRecorder events)
    {
        _client = client;
        _events = events;
    }

    public static V1OwnerReference OwnerReference(V1Job job) => new()
    {
        ApiVersion = "batch/v1",
        Kind = "Job",
        Name = job.Metadata.Name,
        Uid = job.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    public static V1ObjectReference Reference(V1Job job) => new()
    {
        ApiVersion = "batch/v1",
        Kind = "Job",
        Name = job.Metadata.Name,
        NamespaceProperty = job.Metadata.NamespaceProperty,
        Uid = job.Metadata.Uid,
        ResourceVersion = job.Metadata.ResourceVersion,
    };

    /// <summary>CreatePodsWithGenerateName: a pod from <paramref name="template"/>, owned by the job.</summary>
    public async Task CreateAsync(V1Job job, V1PodTemplateSpec template, string generateName, CancellationToken cancellationToken)
    {
        var pod = PodControl.FromTemplate(template, job.Metadata.Name, OwnerReference(job));
        pod.Metadata.GenerateName = generateName;
        await PodControl.CreateAsync(_client, _events, Reference(job), pod, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>DeletePod; false if the pod was already gone.</summary>
    public async Task<bool> DeleteAsync(V1Job job, V1Pod pod, CancellationToken cancellationToken)
    {
        try
        {
            await _client.CoreV1.DeleteNamespacedPodAsync(pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        catch (HttpOperationException ex)
        {
            _events.Event(Reference(job), "Warning", "FailedDelete", $"Error deleting: {ApiErrors.Message(ex)}");
            throw;
        }

        _events.Event(Reference(job), "Normal", "SuccessfulDelete", $"Deleted pod: {pod.Metadata.Name}");
        return true;
    }

    /// <summary>
    /// removeTrackingFinalizerPatch: only the tracking finalizer goes, whatever others the pod has; a pod already
    /// gone counts as done.
    /// </summary>
    public async Task RemoveTrackingFinalizerAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        var patch = $$$"""{"metadata":{"$deleteFromPrimitiveList/finalizers":["{{{JobPods.TrackingFinalizer}}}"]}}""";
        try
        {
            await _client.CoreV1.PatchNamespacedPodAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }
}
