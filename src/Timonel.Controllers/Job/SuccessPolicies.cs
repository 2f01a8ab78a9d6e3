using k8s.Models;

namespace Timonel.Controllers.Job;

/// <summary>spec.successPolicy of an Indexed job (matchSuccessPolicy, pkg/controller/job/success_policy.go).</summary>
internal static class SuccessPolicies
{
    /// <summary>The message of the SuccessCriteriaMet condition when a rule is met, else null.</summary>
    public static string? Match(V1SuccessPolicy? policy, int completions, CompletionIndexes succeeded)
    {
        if (policy?.Rules is not { } rules || succeeded.Total == 0)
        {
            return null;
        }

        for (var index = 0; index < rules.Count; index++)
        {
            var rule = rules[index];
            if (rule.SucceededIndexes is { } text)
            {
                var required = CompletionIndexes.Parse(text, completions);
                var matched = required.Intersection(succeeded);
                if (required.Total == 0 || matched == 0)
                {
                    continue;
                }

                if ((rule.SucceededCount is null && required.Total == matched) || (rule.SucceededCount is { } count && count <= matched))
                {
                    return $"Matched rules at index {index}";
                }
            }
            else if (rule.SucceededCount is { } count && count <= succeeded.Total)
            {
                return $"Matched rules at index {index}";
            }
        }

        return null;
    }
}
