using Grpc.Core;
using Timonel.Agent.Kubelet.Cri.V1;
using Timonel.Agent.Kubelet.Runtime;

namespace Timonel.Agent.Kubelet.Cri;

/// <summary>Waits, within a bound, until a runtime answers Version: the socket exists and the CRI plugin serves.</summary>
public static class CriConnection
{
    private static readonly TimeSpan _retryEvery = TimeSpan.FromMilliseconds(100);

    /// <exception cref="TimeoutException">The runtime did not answer within <paramref name="timeout"/>; the message carries its last error.</exception>
    public static async Task<VersionResponse> WaitForVersionAsync(IContainerRuntime runtime, TimeSpan timeout, CancellationToken cancellationToken, Func<bool>? stillHopeful = null)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        string lastError = "no answer";
        while (true)
        {
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(bounded.Token);
                attempt.CancelAfter(TimeSpan.FromSeconds(2));
                return await runtime.VersionAsync(attempt.Token);
            }
            catch (Exception ex) when (ex is RpcException or HttpRequestException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                lastError = ex is OperationCanceledException ? "no answer" : ex.Message;
            }

            if (stillHopeful is not null && !stillHopeful())
            {
                throw new TimeoutException($"the container runtime stopped before it answered: {lastError}");
            }

            try
            {
                await Task.Delay(_retryEvery, bounded.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"the container runtime did not answer Version within {timeout.TotalSeconds:0} s: {lastError}");
            }
        }
    }
}
