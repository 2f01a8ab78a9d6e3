namespace Timonel.ApiServer.Overload;

/// <summary>
/// Requests that may run as long as their client wants, exempt from the in-flight limits and the request timeout:
/// kube-apiserver's BasicLongRunningRequestCheck(verbs watch and proxy; subresources attach, exec, proxy, log,
/// portforward) (cmd/kube-apiserver/app/server.go). Every pods/log request counts, following or not, as upstream.
/// </summary>
public static class LongRunning
{
    public static bool Is(string verb, string? subresource) =>
        verb is "watch" or "proxy" || subresource is "attach" or "exec" or "proxy" or "log" or "portforward";
}
