using k8s.Models;
using Timonel.Scheduler.Framework;

namespace Timonel.Scheduler.Plugins.PodTopologySpread;

/// <summary>
/// The selector the system default constraints spread a pod by (upstream plugins/helper/spread.go DefaultSelector):
/// the selectors of the Services selecting the pod, ANDed with its controlling ReplicationController's, ReplicaSet's or
/// StatefulSet's selector.
/// </summary>
internal static class DefaultSelector
{
    public static SpreadSelector For(V1Pod pod, FrameworkHandle handle)
    {
        var ns = pod.Metadata?.NamespaceProperty ?? "";
        var labels = pod.Metadata?.Labels;
        var set = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var service in handle.Services?.List(ns) ?? [])
        {
            // upstream GetPodServices: a Service without a selector selects no pod.
            if (service.Spec?.Selector is { } selector && SpreadSelector.FromSet(selector).Matches(labels))
            {
                foreach (var (key, value) in selector)
                {
                    set[key] = value;
                }
            }
        }

        var owner = pod.Metadata?.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
        if (owner is not null && owner.Kind == "ReplicationController" && owner.ApiVersion == "v1"
            && handle.ReplicationControllers?.Get(ns, owner.Name) is { Spec.Selector: { } rcSelector })
        {
            foreach (var (key, value) in rcSelector)
            {
                set[key] = value;
            }
        }

        var result = SpreadSelector.FromSet(set);
        if (owner is not null && owner.ApiVersion == "apps/v1")
        {
            var selector = owner.Kind switch
            {
                "ReplicaSet" => handle.ReplicaSets?.Get(ns, owner.Name)?.Spec?.Selector,
                "StatefulSet" => handle.StatefulSets?.Get(ns, owner.Name)?.Spec?.Selector,
                _ => null,
            };
            if (selector is not null)
            {
                result = result.And(selector);
            }
        }

        return result;
    }
}
