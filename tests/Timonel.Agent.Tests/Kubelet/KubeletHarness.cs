using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.Agent.Kubelet;
using Timonel.Agent.Kubelet.PodWorkers;
using Timonel.Agent.Kubelet.Status;
using Timonel.Agent.Tests.NodeAgent;
using Timonel.Testing.Cri;
using Timonel.Testing.Events;
using Timonel.Testing.Kubelet;

namespace Timonel.Agent.Tests.Kubelet;

/// <summary>The kubelet's pod syncing on a fake runtime, fake seams and a fake clock; the test syncs pods itself.</summary>
internal sealed class KubeletHarness : IDisposable
{
    private readonly HttpClient _http = new();

    public KubeletHarness(NodeResources? allocatable = null)
    {
        Runtime = new FakeContainerRuntime(Time);
        Api = new FakeNodeAgentApi(Time);
        var events = new PodEvents(Events);
        var backoff = new Backoff(Time);
        var hooks = new LifecycleHooks(Runtime, _http);
        var terminator = new PodTerminator(Runtime, Volumes, Probes, hooks, events, Time);
        var starter = new ContainerStarter(Runtime, new ImagePuller(Runtime, backoff, events, Time), Configs, Probes, hooks, events);
        StatusManager = new PodStatusManager(Api);
        Syncer = new PodSyncer(
            Runtime,
            new FakeSandboxConfigFactory(),
            Volumes,
            Probes,
            starter,
            terminator,
            new PodStatusGenerator(new ContainerStatusConverter(Probes)),
            StatusManager,
            backoff,
            events,
            new KubeletNodeContext("192.168.1.10", allocatable ?? new NodeResources(4000, 8L << 30, 110), "/var/lib/timonel"),
            Time,
            NullLogger.Instance);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public FakeContainerRuntime Runtime { get; }

    public FakeNodeAgentApi Api { get; }

    public RecordingEventRecorder Events { get; } = new();

    public FakeProbeManager Probes { get; } = new();

    public FakeVolumeManager Volumes { get; } = new();

    public FakeContainerConfigFactory Configs { get; } = new();

    public PodStatusManager StatusManager { get; }

    public PodSyncer Syncer { get; }

    public Dictionary<string, PodRecord> Records { get; } = [];

    /// <summary>Tells the kubelet the pod as the API server has it now and syncs it once.</summary>
    public async Task SyncAsync(V1Pod pod)
    {
        if (!Records.TryGetValue(pod.Metadata.Uid, out var record))
        {
            record = Records[pod.Metadata.Uid] = new PodRecord(pod);
        }

        record.Pod = pod;
        await Syncer.SyncAsync(record, Records.Values.Where(r => r.Admitted && !r.Terminated).Select(r => r.Pod), CancellationToken.None);
    }

    /// <summary>Syncs the pod again, as it would be woken by a runtime event or its back-off ending.</summary>
    public Task ResyncAsync(string podName) => SyncAsync(Records.Values.Single(r => r.Pod.Metadata.Name == podName).Pod);

    /// <summary>The status last written for the pod.</summary>
    public V1PodStatus Status(string podName) => Api.PodStatuses.Last(s => s.Pod == podName).Status;

    public V1ContainerStatus Container(string podName, string container) =>
        Status(podName).ContainerStatuses.Concat(Status(podName).InitContainerStatuses ?? []).Single(c => c.Name == container);

    public IReadOnlyList<string> EventReasons => [.. Events.Events.Select(e => e.Reason)];

    public IReadOnlyList<string> EventMessages(string reason) => [.. Events.Events.Where(e => e.Reason == reason).Select(e => e.Message)];

    public void Dispose() => _http.Dispose();
}
