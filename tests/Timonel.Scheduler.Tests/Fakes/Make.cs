using k8s.Models;

namespace Timonel.Scheduler.Tests.Fakes;

/// <summary>Nodes and pods built in memory for scheduler tests.</summary>
internal static class Make
{
    public static V1Node Node(
        string name,
        string cpu = "4",
        string memory = "32Gi",
        int pods = 110,
        IDictionary<string, string>? labels = null,
        IList<V1Taint>? taints = null,
        bool unschedulable = false)
    {
        var allocatable = new Dictionary<string, ResourceQuantity>
        {
            ["cpu"] = new(cpu),
            ["memory"] = new(memory),
            ["pods"] = new(pods.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ["ephemeral-storage"] = new("100Gi"),
        };
        return new V1Node
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = labels ?? new Dictionary<string, string> { ["kubernetes.io/hostname"] = name } },
            Spec = new V1NodeSpec { Taints = taints, Unschedulable = unschedulable ? true : null },
            Status = new V1NodeStatus { Allocatable = allocatable, Capacity = allocatable },
        };
    }

    public static V1Pod Pod(string name, string? cpu = null, string? memory = null, string? nodeName = null, string ns = "default")
    {
        var requests = new Dictionary<string, ResourceQuantity>();
        if (cpu is not null)
        {
            requests["cpu"] = new(cpu);
        }

        if (memory is not null)
        {
            requests["memory"] = new(memory);
        }

        return new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Uid = $"uid-{name}" },
            Spec = new V1PodSpec
            {
                NodeName = nodeName,
                Containers = [new V1Container { Name = "c", Image = "busybox", Resources = new V1ResourceRequirements { Requests = requests.Count > 0 ? requests : null } }],
            },
            Status = new V1PodStatus { Phase = "Pending" },
        };
    }

    public static V1Taint Taint(string key, string value, string effect = "NoSchedule") => new() { Key = key, Value = value, Effect = effect };
}
