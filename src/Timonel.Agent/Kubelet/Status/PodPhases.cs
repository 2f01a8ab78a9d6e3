using k8s.Models;

namespace Timonel.Agent.Kubelet.Status;

/// <summary>
/// A pod's phase from its containers' statuses (kubelet_pods.go getPhase): Pending while init containers or any
/// container wait, Running while one runs (or all restart), Succeeded or Failed once every container stopped and none
/// will be restarted (or the pod is terminal anyway).
/// </summary>
internal static class PodPhases
{
    public const string Pending = "Pending";
    public const string Running = "Running";
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";

    public static bool IsTerminal(string? phase) => phase is Succeeded or Failed;

    public static bool IsSidecar(V1Container container) => container.RestartPolicy == "Always";

    public static string Of(V1Pod pod, IReadOnlyList<V1ContainerStatus> initStatuses, IReadOnlyList<V1ContainerStatus> statuses, bool podIsTerminal)
    {
        var spec = pod.Spec;
        var pendingInit = 0;
        var pendingSidecars = 0;
        var failedInit = 0;
        int unknown = 0, running = 0, waiting = 0, stopped = 0, succeeded = 0;
        foreach (var container in spec.InitContainers ?? [])
        {
            var status = initStatuses.FirstOrDefault(s => s.Name == container.Name);
            if (IsSidecar(container))
            {
                switch (status?.State)
                {
                    case null:
                        unknown++;
                        pendingSidecars++;
                        break;
                    case { Running: not null }:
                        pendingSidecars += status.Started == true ? 0 : 1;
                        running++;
                        break;
                    case { Waiting: not null } when status.LastState?.Terminated is null:
                        pendingSidecars++;
                        waiting++;
                        break;
                    default:
                        break;
                }

                continue;
            }

            switch (status?.State)
            {
                case { Terminated: { } terminated }:
                    failedInit += terminated.ExitCode != 0 ? 1 : 0;
                    break;
                case { Waiting: not null } when status.LastState?.Terminated is { } last:
                    failedInit += last.ExitCode != 0 ? 1 : 0;
                    break;
                default:
                    pendingInit++;
                    break;
            }
        }

        foreach (var container in spec.Containers)
        {
            var status = statuses.FirstOrDefault(s => s.Name == container.Name);
            switch (status?.State)
            {
                case { Running: not null }:
                    running++;
                    break;
                case { Terminated: { } terminated }:
                    stopped++;
                    succeeded += terminated.ExitCode == 0 ? 1 : 0;
                    break;
                case { Waiting: not null } when status.LastState?.Terminated is not null:
                    stopped++;
                    break;
                case { Waiting: not null }:
                    waiting++;
                    break;
                default:
                    unknown++;
                    break;
            }
        }

        if (failedInit > 0 && spec.RestartPolicy == "Never")
        {
            return Failed;
        }

        if (pendingInit > 0 || (pendingSidecars > 0 && (waiting > 0 || unknown > 0)) || waiting > 0)
        {
            return Pending;
        }

        if (running > 0 && unknown == 0)
        {
            return Running;
        }

        if (running == 0 && stopped > 0 && unknown == 0)
        {
            if (podIsTerminal)
            {
                return stopped == succeeded ? Succeeded : Failed;
            }

            if (spec.RestartPolicy is null or "Always")
            {
                return Running;
            }

            if (stopped == succeeded)
            {
                return Succeeded;
            }

            return spec.RestartPolicy == "Never" ? Failed : Running;
        }

        return Pending;
    }
}
