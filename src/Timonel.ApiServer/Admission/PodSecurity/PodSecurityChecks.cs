namespace Timonel.ApiServer.Admission.PodSecurity;

/// <summary>
/// Every check of the standards as of Kubernetes 1.32, in upstream's evaluation order (by ID, ordinal), so the
/// aggregated message lists failures as kube-apiserver does. At restricted, a restricted check replaces the baseline
/// check it overrides (policy/registry.go).
/// </summary>
public static class PodSecurityChecks
{
    public static IReadOnlyList<PodSecurityCheck> All { get; } =
    [
        .. new PodSecurityCheck[]
        {
            new("allowPrivilegeEscalation", PodSecurityLevel.Restricted, 8, null, RestrictedChecks.AllowPrivilegeEscalation),
            new("appArmorProfile", PodSecurityLevel.Baseline, 0, null, BaselineChecks.AppArmorProfile),
            new("capabilities_baseline", PodSecurityLevel.Baseline, 0, null, BaselineChecks.Capabilities),
            new("capabilities_restricted", PodSecurityLevel.Restricted, 22, "capabilities_baseline", RestrictedChecks.Capabilities),
            new("hostNamespaces", PodSecurityLevel.Baseline, 0, null, BaselineChecks.HostNamespaces),
            new("hostPathVolumes", PodSecurityLevel.Baseline, 0, null, BaselineChecks.HostPathVolumes),
            new("hostPorts", PodSecurityLevel.Baseline, 0, null, BaselineChecks.HostPorts),
            new("privileged", PodSecurityLevel.Baseline, 0, null, BaselineChecks.Privileged),
            new("procMount", PodSecurityLevel.Baseline, 0, null, BaselineChecks.ProcMount),
            new("restrictedVolumes", PodSecurityLevel.Restricted, 0, "hostPathVolumes", RestrictedChecks.Volumes),
            new("runAsNonRoot", PodSecurityLevel.Restricted, 0, null, RestrictedChecks.RunAsNonRoot),
            new("runAsUser", PodSecurityLevel.Restricted, 23, null, RestrictedChecks.RunAsUser),
            new("seLinuxOptions", PodSecurityLevel.Baseline, 0, null, BaselineChecks.SeLinuxOptions),
            new("seccompProfile_baseline", PodSecurityLevel.Baseline, 0, null, BaselineChecks.SeccompProfile),
            new("seccompProfile_restricted", PodSecurityLevel.Restricted, 0, "seccompProfile_baseline", RestrictedChecks.SeccompProfile),
            new("sysctls", PodSecurityLevel.Baseline, 0, null, BaselineChecks.Sysctls),
            new("windowsHostProcess", PodSecurityLevel.Baseline, 0, null, BaselineChecks.WindowsHostProcess),
        }.OrderBy(c => c.Id, StringComparer.Ordinal),
    ];

    /// <summary>
    /// The failures of a pod at a level and version, in order (policy.Evaluator.EvaluatePod). Privileged allows all.
    /// </summary>
    public static IReadOnlyList<CheckFailure> Evaluate(LevelVersion policy, PodSecurityPod pod)
    {
        if (policy.Level == PodSecurityLevel.Privileged)
        {
            return [];
        }

        var applicable = All.Where(c => c.Level <= policy.Level && policy.Version.AtLeast(c.MinimumMinor)).ToList();
        var overridden = applicable.Where(c => c.Overrides is not null).Select(c => c.Overrides!).ToHashSet(StringComparer.Ordinal);
        var failures = new List<CheckFailure>();
        foreach (var check in applicable.Where(c => !overridden.Contains(c.Id)))
        {
            if (check.Evaluate(pod, policy.Version) is { } failure)
            {
                failures.Add(failure);
            }
        }

        return failures;
    }

    /// <summary>"reason (detail), reason (detail)" as AggregateCheckResult.ForbiddenDetail joins them; null when none failed.</summary>
    public static string? Describe(IReadOnlyList<CheckFailure> failures) =>
        failures.Count == 0 ? null : string.Join(", ", failures.Select(f => f.Detail.Length > 0 ? $"{f.Reason} ({f.Detail})" : f.Reason));

    /// <summary>The reasons alone, joined (AggregateCheckResult.ForbiddenReason), for namespace-wide warnings.</summary>
    public static string Reasons(IReadOnlyList<CheckFailure> failures) => string.Join(", ", failures.Select(f => f.Reason));
}
