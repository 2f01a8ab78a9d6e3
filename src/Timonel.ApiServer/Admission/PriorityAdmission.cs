using System.Text.Json.Nodes;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry;
using Timonel.ApiServer.Registry.Scheduling;

namespace Timonel.ApiServer.Admission;

/// <summary>
/// The Priority plugin on pods (plugin/pkg/admission/priority admitPod): a new pod gets the value and the preemption
/// policy of its priorityClassName's class, or, naming none, of the global default class (the one of lowest value
/// among those marked globalDefault) whose name it then takes, or priority 0 and PreemptLowerPriority when there is no
/// default. A class that does not exist, or a priority or policy given that differs from the class's, is forbidden
/// with upstream's messages. An update keeps the priority and policy the pod was created with. Classes are read as
/// upstream's lister does, from the watch cache; without stores (a bare store) only the system classes are known.
/// </summary>
public sealed class PriorityAdmission(AdmissionServices? services = null) : IMutatingAdmissionPlugin
{
    // scheduling.DefaultPriorityWhenNoDefaultClassExists.
    private const long DefaultPriorityWhenNoDefaultClassExists = 0;
    private const string PreemptLowerPriority = "PreemptLowerPriority";

    public string Name => "Priority";

    public AdmittedResource? Resource { get; } = new("", "pods");

    public bool Handles(AdmissionOperation operation) => operation is AdmissionOperation.Create or AdmissionOperation.Update;

    public async ValueTask AdmitAsync(AdmissionAttributes attributes, CancellationToken cancellationToken)
    {
        if (attributes.Subresource.Length > 0)
        {
            return;
        }

        var spec = attributes.Object!.Child("spec");
        if (attributes.Operation == AdmissionOperation.Update)
        {
            // Validation forbids changing them; an update that omits them keeps the values set at creation.
            var old = attributes.OldObject?["spec"] as JsonObject;
            if (spec["priority"] is null && old?["priority"] is { } priority)
            {
                spec["priority"] = priority.DeepClone();
            }

            if (spec["preemptionPolicy"] is null && old?["preemptionPolicy"] is { } policy)
            {
                spec["preemptionPolicy"] = policy.DeepClone();
            }

            return;
        }

        long value;
        string? preemptionPolicy;
        var className = spec.StringAt("priorityClassName");
        if (string.IsNullOrEmpty(className))
        {
            var globalDefault = DefaultClass();
            if (globalDefault is null)
            {
                value = DefaultPriorityWhenNoDefaultClassExists;
                preemptionPolicy = PreemptLowerPriority;
            }
            else
            {
                spec["priorityClassName"] = globalDefault.Name();
                (value, preemptionPolicy) = ValueAndPolicy(globalDefault);
            }
        }
        else
        {
            var priorityClass = await FindClassAsync(className, cancellationToken)
                ?? throw Forbidden(attributes, $"no PriorityClass with name {className} was found");
            (value, preemptionPolicy) = ValueAndPolicy(priorityClass);
        }

        if (spec.LongAt("priority") is { } priorityGiven && priorityGiven != value)
        {
            throw Forbidden(attributes, $"the integer value of priority ({priorityGiven}) must not be provided in pod spec; priority admission controller computed {value} from the given PriorityClass name");
        }

        spec["priority"] = value;
        if (preemptionPolicy is not null)
        {
            var policyGiven = spec.StringAt("preemptionPolicy");
            if (policyGiven is not null && policyGiven != preemptionPolicy)
            {
                throw Forbidden(attributes, $"the string value of PreemptionPolicy ({policyGiven}) must not be provided in pod spec; priority admission controller computed {preemptionPolicy} from the given PriorityClass name");
            }

            spec["preemptionPolicy"] = preemptionPolicy;
        }
    }

    private static (long Value, string? PreemptionPolicy) ValueAndPolicy(JsonObject priorityClass) =>
        (priorityClass.LongAt("value") ?? 0, priorityClass.StringAt("preemptionPolicy"));

    private static StatusException Forbidden(AdmissionAttributes attributes, string detail) =>
        StatusException.Forbidden("", "pods", attributes.Name, detail);

    // upstream getDefaultPriorityClass: of the classes marked globalDefault, the one with the lowest value.
    private JsonObject? DefaultClass()
    {
        if (services is null)
        {
            return null;
        }

        return services.Registry.Get("scheduling.k8s.io", "priorityclasses").ListRecent(null)
            .Where(c => c.BoolAt("globalDefault") == true)
            .OrderBy(c => c.LongAt("value") ?? 0)
            .FirstOrDefault();
    }

    private async Task<JsonObject?> FindClassAsync(string name, CancellationToken cancellationToken)
    {
        if (services is not null)
        {
            return await services.Registry.Get("scheduling.k8s.io", "priorityclasses").FindRecentAsync(null, name, cancellationToken);
        }

        foreach (var system in SystemPriorityClasses.All)
        {
            if (system.Name == name)
            {
                var priorityClass = SystemPriorityClasses.Object(system);
                priorityClass["preemptionPolicy"] = PreemptLowerPriority;
                return priorityClass;
            }
        }

        return null;
    }
}
