using Microsoft.AspNetCore.Http;

namespace Timonel.ApiServer.Endpoints.Kubelets;

/// <summary>
/// The kubelet URL path of each pod connect subresource, with the options carried over as the kubelet reads them
/// (upstream's LogLocation, streamLocation and PortForwardLocation in pkg/registry/core/pod/strategy.go).
/// </summary>
public static class KubeletPaths
{
    private static readonly string[] _logOptions = ["follow", "previous", "timestamps", "sinceSeconds", "sinceTime", "tailLines", "limitBytes"];

    public static string Log(string ns, string pod, string container, IQueryCollection query)
    {
        var options = _logOptions
            .Where(option => query[option].ToString() is { Length: > 0 })
            .Select(option => $"{option}={Uri.EscapeDataString(query[option].ToString())}");
        return Path("containerLogs", ns, pod, container) + QueryString(options);
    }

    /// <summary>exec and attach: stdin, stdout, stderr and tty become the kubelet's input, output, error and tty.</summary>
    public static string Stream(string subresource, string ns, string pod, string container, IQueryCollection query)
    {
        var stdin = IsTrue(query, "stdin");
        var stdout = IsTrue(query, "stdout");
        var stderr = IsTrue(query, "stderr");
        var tty = IsTrue(query, "tty");
        if (!stdin && !stdout && !stderr)
        {
            throw StatusException.BadRequest("you must specify at least 1 of stdin, stdout, stderr");
        }

        if (tty && stderr)
        {
            // The terminal merges stderr into stdout (upstream's validation of PodExecOptions).
            throw StatusException.BadRequest("tty and stderr cannot both be true");
        }

        var parameters = new List<string>();
        if (subresource == "exec")
        {
            var command = query["command"];
            if (command.Count == 0)
            {
                throw StatusException.BadRequest("you must specify at least one command for the container");
            }

            parameters.AddRange(command.Select(c => "command=" + Uri.EscapeDataString(c ?? "")));
        }

        AddFlag(parameters, "input", stdin);
        AddFlag(parameters, "output", stdout);
        AddFlag(parameters, "error", stderr);
        AddFlag(parameters, "tty", tty);
        return Path(subresource, ns, pod, container) + QueryString(parameters);
    }

    public static string PortForward(string ns, string pod, IQueryCollection query) =>
        Path("portForward", ns, pod) + QueryString(query["ports"].Select(p => "port=" + Uri.EscapeDataString(p ?? "")));

    private static string Path(params string[] segments) => "/" + string.Join('/', segments.Select(Uri.EscapeDataString));

    private static string QueryString(IEnumerable<string> parameters) => string.Join('&', parameters) is { Length: > 0 } joined ? "?" + joined : "";

    private static void AddFlag(List<string> parameters, string name, bool value)
    {
        if (value)
        {
            parameters.Add(name + "=1");
        }
    }

    /// <summary>Go's strconv.ParseBool as the query decoder reads booleans: 1, t, T, TRUE, true, True.</summary>
    private static bool IsTrue(IQueryCollection query, string name) =>
        query[name].ToString() is "1" or "t" or "T" or "TRUE" or "true" or "True";
}
