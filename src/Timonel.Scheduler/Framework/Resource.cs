using k8s.Models;

namespace Timonel.Scheduler.Framework;

/// <summary>
/// Compute resources in integers (upstream framework/types.go Resource): CPU in millicores, memory and ephemeral
/// storage in bytes, the pod count, and the scalar resources (extended resources, hugepages) by name.
/// </summary>
public sealed class Resource
{
    public long MilliCpu { get; set; }

    public long Memory { get; set; }

    public long EphemeralStorage { get; set; }

    public long AllowedPodNumber { get; set; }

    /// <summary>Extended resources and hugepages; null while there are none (most pods and nodes).</summary>
    public Dictionary<string, long>? ScalarResources { get; private set; }

    public bool IsZero => MilliCpu == 0 && Memory == 0 && EphemeralStorage == 0 && (ScalarResources is null || ScalarResources.Values.All(v => v == 0));

    /// <summary>A resource list (requests, allocatable) in integers, as upstream's NewResource.</summary>
    public static Resource From(IDictionary<string, ResourceQuantity>? list)
    {
        var resource = new Resource();
        if (list is not null)
        {
            foreach (var (name, quantity) in list)
            {
                resource.Add(name, quantity);
            }
        }

        return resource;
    }

    public void Add(string name, ResourceQuantity quantity)
    {
        switch (name)
        {
            case ResourceNames.Cpu:
                MilliCpu += Quantities.MilliValue(quantity);
                break;
            case ResourceNames.Memory:
                Memory += Quantities.Value(quantity);
                break;
            case ResourceNames.EphemeralStorage:
                EphemeralStorage += Quantities.Value(quantity);
                break;
            case ResourceNames.Pods:
                AllowedPodNumber += Quantities.Value(quantity);
                break;
            default:
                if (ResourceNames.IsScalar(name))
                {
                    AddScalar(name, Quantities.Value(quantity));
                }

                break;
        }
    }

    public void Add(Resource other)
    {
        MilliCpu += other.MilliCpu;
        Memory += other.Memory;
        EphemeralStorage += other.EphemeralStorage;
        AllowedPodNumber += other.AllowedPodNumber;
        if (other.ScalarResources is not null)
        {
            foreach (var (name, value) in other.ScalarResources)
            {
                AddScalar(name, value);
            }
        }
    }

    public void Subtract(Resource other)
    {
        MilliCpu -= other.MilliCpu;
        Memory -= other.Memory;
        EphemeralStorage -= other.EphemeralStorage;
        AllowedPodNumber -= other.AllowedPodNumber;
        if (other.ScalarResources is not null)
        {
            foreach (var (name, value) in other.ScalarResources)
            {
                AddScalar(name, -value);
            }
        }
    }

    public long Scalar(string name) => ScalarResources?.GetValueOrDefault(name) ?? 0;

    public void AddScalar(string name, long value)
    {
        ScalarResources ??= new(StringComparer.Ordinal);
        ScalarResources[name] = ScalarResources.GetValueOrDefault(name) + value;
    }

    public Resource Clone()
    {
        var clone = new Resource { MilliCpu = MilliCpu, Memory = Memory, EphemeralStorage = EphemeralStorage, AllowedPodNumber = AllowedPodNumber };
        if (ScalarResources is not null)
        {
            clone.ScalarResources = new(ScalarResources, StringComparer.Ordinal);
        }

        return clone;
    }
}
