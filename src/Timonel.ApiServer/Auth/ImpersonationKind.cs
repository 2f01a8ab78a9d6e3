namespace Timonel.ApiServer.Auth;

/// <summary>The kinds of <see cref="ImpersonationTarget"/>, named as upstream's ObjectReference kinds.</summary>
public enum ImpersonationKind
{
    User,
    ServiceAccount,
    Group,
    UserExtra,
    Uid,
}
