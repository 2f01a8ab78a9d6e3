namespace Timonel.ApiServer.Admission.PodSecurity;

/// <summary>
/// A failed check (policy.CheckResult with Allowed false): the short reason ("privileged") and the detail naming what
/// failed (<c>container "nginx" must not set securityContext.privileged=true</c>), which may be empty.
/// </summary>
public sealed record CheckFailure(string Reason, string Detail);
