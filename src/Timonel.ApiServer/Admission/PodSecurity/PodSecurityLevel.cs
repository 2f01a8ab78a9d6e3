namespace Timonel.ApiServer.Admission.PodSecurity;

/// <summary>The Pod Security Standards' levels, least strict first (pod-security-admission api.Level).</summary>
public enum PodSecurityLevel
{
    Privileged,
    Baseline,
    Restricted,
}
