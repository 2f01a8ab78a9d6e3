using k8s.Models;

namespace Timonel.Scheduler;

/// <summary>The scheduler's writes to the API server: bindings, pod status and preemption's deletions (a fake records them in tests).</summary>
public interface ISchedulerApi
{
    /// <summary>POST pods/{name}/binding.</summary>
    Task BindAsync(V1Binding binding, CancellationToken cancellationToken);

    /// <summary>A strategic merge patch of pods/{name}/status.</summary>
    Task PatchPodStatusAsync(string ns, string name, string patchJson, CancellationToken cancellationToken);

    /// <summary>DELETE pods/{name} (preemption's victims); false when the pod was already gone.</summary>
    Task<bool> DeletePodAsync(string ns, string name, CancellationToken cancellationToken);
}
