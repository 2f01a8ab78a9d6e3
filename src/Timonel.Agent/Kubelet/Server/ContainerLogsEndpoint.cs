using Microsoft.AspNetCore.Http;
using Timonel.Agent.Kubelet.Cri.V1;
using Timonel.Agent.Kubelet.Server.Logs;

namespace Timonel.Agent.Kubelet.Server;

/// <summary>
/// GET /containerLogs/{namespace}/{pod}/{container}: the container's CRI log file with the PodLogOptions (upstream's
/// kubelet getContainerLogs and validateContainerLogStatus): the current attempt, or with previous=true the one before.
/// </summary>
public sealed class ContainerLogsEndpoint
{
    private readonly PodContainers _containers;
    private readonly ContainerLogReader _reader;
    private readonly TimeProvider _time;

    public ContainerLogsEndpoint(PodContainers containers, ContainerLogReader reader, TimeProvider time)
    {
        _containers = containers;
        _reader = reader;
        _time = time;
    }

    public async Task HandleAsync(HttpContext context, string ns, string pod, string container)
    {
        var cancellationToken = context.RequestAborted;
        ContainerLogOptions options;
        try
        {
            options = ContainerLogOptions.Parse(name => context.Request.Query[name].FirstOrDefault(), _time.GetUtcNow());
        }
        catch (FormatException e)
        {
            await KubeletResponses.TextAsync(context, StatusCodes.Status400BadRequest, e.Message);
            return;
        }

        var attempts = await _containers.AttemptsAsync(ns, pod, container, cancellationToken);
        var wanted = options.Previous ? 1 : 0;
        var target = attempts.Count > wanted ? attempts[wanted] : null;
        if (target is null || (options.Previous && target.State != ContainerState.ContainerExited))
        {
            var message = options.Previous
                ? $"previous terminated container \"{container}\" in pod \"{pod}\" not found"
                : $"container \"{container}\" in pod \"{pod}\" is waiting to start: ContainerCreating";
            await KubeletResponses.TextAsync(context, StatusCodes.Status400BadRequest, message);
            return;
        }

        var status = await _containers.StatusAsync(target.Id, cancellationToken);
        if (status is null || target.State == ContainerState.ContainerCreated)
        {
            await KubeletResponses.TextAsync(context, StatusCodes.Status400BadRequest, $"container \"{container}\" in pod \"{pod}\" is waiting to start: ContainerCreating");
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/plain";
        await context.Response.StartAsync(cancellationToken);
        if (status.LogPath.Length == 0)
        {
            return;
        }

        Func<CancellationToken, Task<bool>> isRunning = options.Previous
            ? _ => Task.FromResult(false)
            : token => _containers.IsRunningAsync(target.Id, token);
        try
        {
            await _reader.CopyAsync(status.LogPath, options, context.Response.Body, isRunning, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client stopped following.
        }
    }
}
