namespace Timonel.Controllers.Job;

/// <summary>
/// What a job's pod failure policy makes of one failed pod (matchPodFailurePolicy's results): the message that fails
/// the job (FailJob only), whether the failure counts towards backoffLimit, and the action of the rule that matched
/// (null when none did).
/// </summary>
internal sealed record PodFailurePolicyMatch(string? FailJobMessage, bool CountFailed, string? Action)
{
    /// <summary>No policy, or no rule matched: the failure counts as usual.</summary>
    public static readonly PodFailurePolicyMatch None = new(null, true, null);
}
