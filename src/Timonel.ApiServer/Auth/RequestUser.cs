namespace Timonel.ApiServer.Auth;

/// <summary>
/// The user the current request acts as, carried with the request's asynchronous flow as upstream carries it in the
/// request's context (request.WithUser / request.UserFrom), so the store and its admission plugins see who writes
/// without every storage call passing it along. Null outside a request: the server's own writes (bootstrap, the
/// endpoint reconciler), which upstream makes as the privileged loopback user.
/// </summary>
public static class RequestUser
{
    private static readonly AsyncLocal<UserInfo?> _current = new();

    public static UserInfo? Current => _current.Value;

    /// <summary>Makes <paramref name="user"/> the current request's user until the returned scope is disposed.</summary>
    public static IDisposable Begin(UserInfo user)
    {
        var previous = _current.Value;
        _current.Value = user;
        return new Scope(previous);
    }

    private sealed class Scope(UserInfo? previous) : IDisposable
    {
        public void Dispose() => _current.Value = previous;
    }
}
