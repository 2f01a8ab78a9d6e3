using System.Globalization;
using System.Text;
using k8s.Models;
using Timonel.Agent.Kubelet.Runtime;

namespace Timonel.Agent.Kubelet.PodWorkers;

/// <summary>
/// Runs a container's postStart and preStop handlers (lifecycle/handlers.go): exec through the runtime, or an HTTP
/// GET to the pod's IP (or the handler's host). Answers null on success, else upstream's failure message.
/// </summary>
internal sealed class LifecycleHooks
{
    private readonly IContainerRuntime _runtime;
    private readonly HttpClient _http;

    public LifecycleHooks(IContainerRuntime runtime, HttpClient http)
    {
        _runtime = runtime;
        _http = http;
    }

    public async Task<string?> RunAsync(V1Pod pod, V1Container container, V1LifecycleHandler handler, string containerId, string podIP, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            if (handler.Exec?.Command is { Count: > 0 } command)
            {
                var result = await _runtime.ExecSyncAsync(containerId, [.. command], timeout, cancellationToken);
                if (result.ExitCode == 0)
                {
                    return null;
                }

                var output = Encoding.UTF8.GetString(result.Stdout.Span) + Encoding.UTF8.GetString(result.Stderr.Span);
                return $"Exec lifecycle hook ({string.Join(' ', command)}) for Container \"{container.Name}\" in Pod \"{pod.Metadata.Name}_{pod.Metadata.NamespaceProperty}({pod.Metadata.Uid})\" failed - error: command '{string.Join(' ', command)}' exited with {result.ExitCode}: {output}, message: \"{output}\"";
            }

            if (handler.HttpGet is { } get)
            {
                return await HttpGetAsync(pod, container, get, podIP, timeout, cancellationToken);
            }

            if (handler.Sleep is { } sleep)
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(sleep.Seconds, timeout.TotalSeconds)), cancellationToken);
                return null;
            }

            return "a lifecycle handler needs exec, httpGet or sleep";
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return RuntimeErrors.Message(ex);
        }
    }

    private async Task<string?> HttpGetAsync(V1Pod pod, V1Container container, V1HTTPGetAction get, string podIP, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var port = ResolvePort(container, get.Port);
        if (port is null)
        {
            return $"HTTP lifecycle hook for Container \"{container.Name}\" in Pod \"{pod.Metadata.Name}_{pod.Metadata.NamespaceProperty}({pod.Metadata.Uid})\" failed - error: couldn't find port: {get.Port}";
        }

        var host = get.Host is { Length: > 0 } named ? named : podIP;
        var scheme = string.Equals(get.Scheme, "HTTPS", StringComparison.OrdinalIgnoreCase) ? "https" : "http";
        var path = get.Path is { Length: > 0 } p ? (p.StartsWith('/') ? p : "/" + p) : "/";
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"{scheme}://{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:{port}{path}"));
        foreach (var header in get.HttpHeaders ?? [])
        {
            request.Headers.TryAddWithoutValidation(header.Name, header.Value);
        }

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        using var response = await _http.SendAsync(request, timeoutSource.Token);
        var code = (int)response.StatusCode;
        return code is >= 200 and < 400
            ? null
            : $"HTTP lifecycle hook ({path}) for Container \"{container.Name}\" in Pod \"{pod.Metadata.Name}_{pod.Metadata.NamespaceProperty}({pod.Metadata.Uid})\" failed - error: HTTP lifecycle hook ({path}) for Container \"{container.Name}\" in Pod \"{pod.Metadata.Name}_{pod.Metadata.NamespaceProperty}({pod.Metadata.Uid})\" failed - error: Get \"{request.RequestUri}\": HTTP status code {code}";
    }

    /// <summary>A port number, or a named port of the container.</summary>
    public static int? ResolvePort(V1Container container, IntOrString? port)
    {
        var text = port?.Value ?? "";
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        return container.Ports?.FirstOrDefault(p => p.Name == text)?.ContainerPort;
    }
}
