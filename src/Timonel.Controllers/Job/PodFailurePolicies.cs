using k8s.Models;

namespace Timonel.Controllers.Job;

/// <summary>
/// spec.podFailurePolicy applied to a failed pod (pkg/controller/job/pod_failure_policy.go): the first rule whose
/// onExitCodes or onPodConditions match decides.
/// </summary>
internal static class PodFailurePolicies
{
    public const string FailJob = "FailJob";
    public const string Ignore = "Ignore";
    public const string Count = "Count";
    public const string FailIndex = "FailIndex";

    public static PodFailurePolicyMatch Match(V1PodFailurePolicy? policy, V1Pod pod)
    {
        if (policy?.Rules is not { } rules)
        {
            return PodFailurePolicyMatch.None;
        }

        for (var index = 0; index < rules.Count; index++)
        {
            var rule = rules[index];
            if (rule.OnExitCodes is { } onExitCodes)
            {
                if (MatchingContainer(pod.Status, onExitCodes) is { } container)
                {
                    // The words of upstream's FailJob message for an exit code.
                    var message = $"Container {container.Name} for pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} failed with exit code {container.State.Terminated.ExitCode} matching {rule.Action} rule at index {index}";
                    if (Decide(rule.Action, message) is { } decided)
                    {
                        return decided;
                    }
                }
            }
            else if (rule.OnPodConditions is { } patterns && MatchingCondition(pod.Status, patterns) is { } condition)
            {
                var message = $"Pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} has condition {condition.Type} matching {rule.Action} rule at index {index}";
                if (Decide(rule.Action, message) is { } decided)
                {
                    return decided;
                }
            }
        }

        return PodFailurePolicyMatch.None;
    }

    private static PodFailurePolicyMatch? Decide(string action, string message) => action switch
    {
        Ignore => new(null, false, Ignore),
        FailIndex => new(null, true, FailIndex),
        Count => new(null, true, Count),
        FailJob => new(message, true, FailJob),
        _ => null,
    };

    // Containers first, then init containers; a container still running has no exit code, and exit code 0 never matches.
    private static V1ContainerStatus? MatchingContainer(V1PodStatus? status, V1PodFailurePolicyOnExitCodesRequirement requirement) =>
        (status?.ContainerStatuses ?? []).Concat(status?.InitContainerStatuses ?? []).FirstOrDefault(c =>
            c.State?.Terminated is { ExitCode: not 0 } terminated
            && (requirement.ContainerName is null || requirement.ContainerName == c.Name)
            && requirement.OperatorProperty switch
            {
                "In" => requirement.Values.Contains(terminated.ExitCode),
                "NotIn" => !requirement.Values.Contains(terminated.ExitCode),
                _ => false,
            });

    private static V1PodCondition? MatchingCondition(V1PodStatus? status, IList<V1PodFailurePolicyOnPodConditionsPattern> patterns) =>
        status?.Conditions?.FirstOrDefault(c => patterns.Any(p => p.Type == c.Type && p.Status == c.Status));
}
