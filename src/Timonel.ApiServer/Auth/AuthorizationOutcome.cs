namespace Timonel.ApiServer.Auth;

public enum AuthorizationOutcome
{
    NoOpinion,
    Allow,
    Deny,
}
