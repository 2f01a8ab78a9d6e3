using k8s.Models;

namespace Timonel.Scheduler.Framework;

/// <summary>
/// A pod's effective requests (upstream component-helpers resource.PodRequests): the sum of its containers and of its
/// restartable init containers (sidecars, which keep running), or the largest init container plus the sidecars
/// started before it, whichever is larger, plus the pod overhead.
/// </summary>
public static class PodRequests
{
    /// <summary>Requests assumed for a container that names none, for scoring only (upstream schedutil.DefaultMilliCPURequest, DefaultMemoryRequest).</summary>
    public const long DefaultMilliCpuRequest = 100;

    /// <summary>200 MiB.</summary>
    public const long DefaultMemoryRequest = 200 * 1024 * 1024;

    /// <param name="nonZero">Whether a container that names no cpu or memory request counts the defaults instead (NonMissingContainerRequests).</param>
    public static Resource Compute(V1Pod pod, bool nonZero)
    {
        var requests = new Resource();
        foreach (var container in pod.Spec?.Containers ?? [])
        {
            requests.Add(Container(container, nonZero));
        }

        var sidecars = new Resource();
        var init = new Resource();
        foreach (var container in pod.Spec?.InitContainers ?? [])
        {
            var own = Container(container, nonZero);
            Resource effective;
            if (container.RestartPolicy == "Always")
            {
                requests.Add(own);
                sidecars.Add(own);
                effective = sidecars;
            }
            else
            {
                effective = own.Clone();
                effective.Add(sidecars);
            }

            Max(init, effective);
        }

        Max(requests, init);
        if (pod.Spec?.Overhead is { } overhead)
        {
            requests.Add(Resource.From(overhead));
        }

        return requests;
    }

    private static Resource Container(V1Container container, bool nonZero)
    {
        var requests = Resource.From(container.Resources?.Requests);
        if (nonZero)
        {
            var named = container.Resources?.Requests;
            if (named is null || !named.ContainsKey(ResourceNames.Cpu))
            {
                requests.MilliCpu = DefaultMilliCpuRequest;
            }

            if (named is null || !named.ContainsKey(ResourceNames.Memory))
            {
                requests.Memory = DefaultMemoryRequest;
            }
        }

        return requests;
    }

    private static void Max(Resource into, Resource other)
    {
        into.MilliCpu = Math.Max(into.MilliCpu, other.MilliCpu);
        into.Memory = Math.Max(into.Memory, other.Memory);
        into.EphemeralStorage = Math.Max(into.EphemeralStorage, other.EphemeralStorage);
        into.AllowedPodNumber = Math.Max(into.AllowedPodNumber, other.AllowedPodNumber);
        if (other.ScalarResources is not null)
        {
            foreach (var (name, value) in other.ScalarResources)
            {
                if (value > into.Scalar(name))
                {
                    into.AddScalar(name, value - into.Scalar(name));
                }
            }
        }
    }
}
