namespace Timonel.ApiServer.Auth;

/// <summary>Allow, Deny or NoOpinion (the next authorizer decides), with the reason shown in a 403.</summary>
public sealed record AuthorizationDecision(AuthorizationOutcome Outcome, string Reason = "")
{
    public static AuthorizationDecision Allow { get; } = new(AuthorizationOutcome.Allow);

    public static AuthorizationDecision NoOpinion { get; } = new(AuthorizationOutcome.NoOpinion);
}
