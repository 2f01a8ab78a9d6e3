namespace Timonel.ApiServer.Admission.PodSecurity;

/// <summary>
/// One check of the standards (policy.Check): its ID, the level it belongs to, the first version it applies from,
/// the baseline check it replaces at restricted (OverrideCheckIDs), and the evaluation, which may read the policy
/// version for rules that changed between versions. The evaluation returns null when the pod passes.
/// </summary>
public sealed record PodSecurityCheck(string Id, PodSecurityLevel Level, int MinimumMinor, string? Overrides, Func<PodSecurityPod, PolicyVersion, CheckFailure?> Evaluate);
