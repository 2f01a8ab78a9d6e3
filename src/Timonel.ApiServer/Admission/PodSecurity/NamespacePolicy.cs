using Timonel.Api.Validation;

namespace Timonel.ApiServer.Admission.PodSecurity;

/// <summary>
/// The three modes' levels a namespace's labels set (api.PolicyToEvaluate): enforce refuses pods, audit annotates the
/// request's audit event, warn answers with a warning. Unlabelled modes take the default, privileged:latest (no
/// AdmissionConfiguration changes it in Timonel). A label that does not parse yields an error and the strictest value
/// for enforce, but privileged for audit and warn, which fail open as upstream's.
/// </summary>
public sealed record NamespacePolicy(LevelVersion Enforce, LevelVersion Audit, LevelVersion Warn)
{
    public const string EnforceLevelLabel = "pod-security.kubernetes.io/enforce";
    public const string EnforceVersionLabel = "pod-security.kubernetes.io/enforce-version";
    public const string AuditLevelLabel = "pod-security.kubernetes.io/audit";
    public const string AuditVersionLabel = "pod-security.kubernetes.io/audit-version";
    public const string WarnLevelLabel = "pod-security.kubernetes.io/warn";
    public const string WarnVersionLabel = "pod-security.kubernetes.io/warn-version";

    public static NamespacePolicy Default { get; } = new(LevelVersion.PrivilegedLatest, LevelVersion.PrivilegedLatest, LevelVersion.PrivilegedLatest);

    /// <summary>The namespace's policy and the labels' errors (empty when every label parses).</summary>
    public static NamespacePolicy FromLabels(IReadOnlyDictionary<string, string> labels, FieldErrorList errors)
    {
        var enforce = Mode(labels, EnforceLevelLabel, EnforceVersionLabel, failOpen: false, errors);
        var audit = Mode(labels, AuditLevelLabel, AuditVersionLabel, failOpen: true, errors);
        var warn = Mode(labels, WarnLevelLabel, WarnVersionLabel, failOpen: true, errors);
        return new(enforce, audit, warn);
    }

    /// <summary>Every mode privileged: nothing to evaluate.</summary>
    public bool AllPrivileged => Enforce.Level == PodSecurityLevel.Privileged && Audit.Level == PodSecurityLevel.Privileged && Warn.Level == PodSecurityLevel.Privileged;

    private static LevelVersion Mode(IReadOnlyDictionary<string, string> labels, string levelLabel, string versionLabel, bool failOpen, FieldErrorList errors)
    {
        var path = FieldPath.Root("metadata", "labels");
        var level = PodSecurityLevel.Privileged;
        if (labels.TryGetValue(levelLabel, out var levelText))
        {
            level = PodSecurityLevels.Parse(levelText, out var error);
            if (error is not null)
            {
                errors.Add(FieldError.Invalid(path.Key(levelLabel), levelText, error));
                level = failOpen ? PodSecurityLevel.Privileged : level;
            }
        }

        var version = PolicyVersion.Latest;
        if (labels.TryGetValue(versionLabel, out var versionText))
        {
            version = PolicyVersion.Parse(versionText, out var error);
            if (error is not null)
            {
                errors.Add(FieldError.Invalid(path.Key(versionLabel), versionText, error));
            }
        }

        return new(level, version);
    }
}
