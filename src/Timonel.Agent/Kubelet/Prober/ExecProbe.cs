using System.Text;
using Grpc.Core;
using k8s.Models;
using Timonel.Agent.Kubelet.Runtime;

namespace Timonel.Agent.Kubelet.Prober;

/// <summary>An exec probe (pkg/probe/exec): the command runs in the container through the runtime; exit code 0 succeeds, its output is the message.</summary>
internal sealed class ExecProbe : IProbeHandler
{
    private readonly IContainerRuntime _runtime;

    public ExecProbe(IContainerRuntime runtime) => _runtime = runtime;

    public bool Handles(V1Probe probe) => probe.Exec is not null;

    public async Task<ProbeResult> ProbeAsync(V1Probe probe, ProbeTarget target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var command = (probe.Exec.Command ?? []).ToList();
        try
        {
            var response = await _runtime.ExecSyncAsync(target.ContainerId, command, timeout, cancellationToken);
            var output = Encoding.UTF8.GetString(response.Stdout.Span) + Encoding.UTF8.GetString(response.Stderr.Span);
            return response.ExitCode == 0 ? ProbeResult.Success(output) : ProbeResult.Failure(output);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or RpcException { StatusCode: StatusCode.DeadlineExceeded })
        {
            return ProbeResult.Failure($"command \"{string.Join(' ', command)}\" timed out");
        }
    }
}
