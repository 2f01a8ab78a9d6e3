using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Admission;

/// <summary>
/// The Priority plugin on a new pod (plugin/pkg/admission/priority): the priority of its class (the two built-in
/// system classes; no class and no global default: 0) and the default preemption policy.
/// </summary>
public sealed class PriorityAdmission : IMutatingAdmissionPlugin
{
    // pkg/apis/scheduling: the two built-in priority classes.
    private static readonly Dictionary<string, long> _systemPriorities = new(StringComparer.Ordinal)
    {
        ["system-node-critical"] = 2000001000,
        ["system-cluster-critical"] = 2000000000,
    };

    public string Name => "Priority";

    public AdmittedResource? Resource { get; } = new("", "pods");

    public bool Handles(AdmissionOperation operation) => operation == AdmissionOperation.Create;

    public ValueTask AdmitAsync(AdmissionAttributes attributes, CancellationToken cancellationToken)
    {
        Admit(attributes);
        return ValueTask.CompletedTask;
    }

    private static void Admit(AdmissionAttributes attributes)
    {
        var spec = attributes.Object!.Child("spec");
        var className = spec.StringAt("priorityClassName");
        if (string.IsNullOrEmpty(className))
        {
            spec.SetDefault("priority", 0);
        }
        else if (_systemPriorities.TryGetValue(className, out var value))
        {
            spec.SetDefault("priority", value);
        }

        if (spec["priority"] is not null)
        {
            spec.SetDefault("preemptionPolicy", "PreemptLowerPriority");
        }
    }
}
