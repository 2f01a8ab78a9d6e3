using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Timonel.Controllers.Volume;

/// <summary>
/// Makes and removes volume directories on other nodes with a short-lived helper pod, as rancher's
/// local-path-provisioner does: a pod bound straight to the node (no scheduling, every taint tolerated) that mounts
/// the storage directory from the host and runs <c>mkdir</c> or <c>rm -rf</c> on the volume's directory. The node
/// needs no rights beyond running pods; the controller manager waits for the pod to finish, then deletes it.
/// </summary>
public sealed class HelperPodDirectories : INodeDirectories
{
    /// <summary>Where helper pods run (K3s runs its local-path-provisioner and its helpers in kube-system).</summary>
    public const string Namespace = "kube-system";

    /// <summary>How long a helper pod may take (rancher's default helper pod timeout).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(120);

    private static readonly TimeSpan _pollInterval = TimeSpan.FromMilliseconds(250);

    private readonly IKubernetes _client;
    private readonly string _image;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;

    public HelperPodDirectories(IKubernetes client, string image, TimeProvider time, TimeSpan? timeout = null)
    {
        _client = client;
        _image = image;
        _time = time;
        _timeout = timeout ?? DefaultTimeout;
    }

    public Task CreateAsync(string node, string path, CancellationToken cancellationToken) =>
        RunAsync("create", node, path, "mkdir -m 0777 -p \"$1\" && chmod 0777 \"$1\"", cancellationToken);

    public Task DeleteAsync(string node, string path, CancellationToken cancellationToken) =>
        RunAsync("delete", node, path, "rm -rf \"$1\"", cancellationToken);

    /// <summary>The helper pod's name, rancher's helper-pod-&lt;action&gt;-&lt;volume&gt; (the directory is &lt;volume&gt;_&lt;namespace&gt;_&lt;claim&gt;).</summary>
    public static string PodName(string action, string path) => $"helper-pod-{action}-{Path.GetFileName(path).Split('_')[0]}".ToLowerInvariant();

    private async Task RunAsync(string action, string node, string path, string script, CancellationToken cancellationToken)
    {
        var name = PodName(action, path);

        // A pod left by an earlier attempt (the controller manager stopped while it ran) is replaced.
        await DeletePodAsync(name, cancellationToken).ConfigureAwait(false);
        try
        {
            await _client.CoreV1.CreateNamespacedPodAsync(HelperPod(name, node, path, script), Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
        {
            throw new InvalidOperationException($"helper pod {Namespace}/{name} of an earlier attempt is still being deleted");
        }

        try
        {
            await WaitForCompletionAsync(name, node, path, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await DeletePodAsync(name, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task WaitForCompletionAsync(string name, string node, string path, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + _timeout;
        while (true)
        {
            var pod = await _client.CoreV1.ReadNamespacedPodAsync(name, Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            switch (pod.Status?.Phase)
            {
                case "Succeeded":
                    return;
                case "Failed":
                    throw new InvalidOperationException($"helper pod {Namespace}/{name} failed on node {node} for {path}: {Termination(pod)}");
            }

            if (_time.GetUtcNow() >= deadline)
            {
                throw new InvalidOperationException($"helper pod {Namespace}/{name} did not finish on node {node} within {_timeout.TotalSeconds:0}s (phase {pod.Status?.Phase ?? "Pending"}{Waiting(pod)})");
            }

            await Task.Delay(_pollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Termination(V1Pod pod) =>
        pod.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Terminated is { } terminated
            ? $"exit code {terminated.ExitCode}{(string.IsNullOrEmpty(terminated.Message) ? "" : ": " + terminated.Message.Trim())}"
            : pod.Status?.Message ?? pod.Status?.Reason ?? "no reason given";

    private static string Waiting(V1Pod pod) =>
        pod.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Waiting is { Reason: { } reason } waiting
            ? $", {reason}{(string.IsNullOrEmpty(waiting.Message) ? "" : ": " + waiting.Message)}"
            : "";

    private async Task DeletePodAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await _client.CoreV1.DeleteNamespacedPodAsync(name, Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }

    private V1Pod HelperPod(string name, string node, string path, string script)
    {
        var parent = Path.GetDirectoryName(path) ?? "/";
        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = Namespace,
                Labels = new Dictionary<string, string> { ["app"] = "local-path-provisioner-helper" },
                // A hollow node (timonel agent --simulated) runs no command: this makes it end the pod at once, as
                // the command ends on a real node.
                Annotations = new Dictionary<string, string> { ["sim.timonel.io/exit-code"] = "0" },
            },
            Spec = new V1PodSpec
            {
                NodeName = node,
                RestartPolicy = "Never",
                AutomountServiceAccountToken = false,
                Tolerations = [new V1Toleration { OperatorProperty = "Exists" }],
                Containers =
                [
                    new V1Container
                    {
                        Name = "helper-pod",
                        Image = _image,
                        ImagePullPolicy = "IfNotPresent",
                        // The path is an argument, never part of the script, so no name can inject a command.
                        Command = ["sh", "-c", script, "helper", path],
                        VolumeMounts = [new V1VolumeMount { Name = "data", MountPath = parent }],
                    },
                ],
                Volumes = [new V1Volume { Name = "data", HostPath = new V1HostPathVolumeSource { Path = parent, Type = "DirectoryOrCreate" } }],
            },
        };
    }
}
