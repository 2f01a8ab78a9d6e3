using System.Text.Json.Nodes;
using System.Threading.Channels;
using k8s;
using k8s.Models;

namespace Timonel.IntegrationTests;

/// <summary>
/// core/v1 and events.k8s.io/v1 Events share one storage, as upstream's: an event written through one API is read,
/// listed, selected and watched through the other, in that API's form, by the real kubectl and the official client.
/// </summary>
public abstract class SharedEventStorageTests<TFixture> : IClassFixture<TFixture>
    where TFixture : ClusterFixture
{
    private static readonly TimeSpan _watchTimeout = TimeSpan.FromSeconds(15);
    private readonly TFixture _fixture;

    protected SharedEventStorageTests(TFixture fixture) => _fixture = fixture;

    private TestCluster Cluster => _fixture.Cluster;

    [SkippableFact]
    public async Task KubectlCreateCoreEvent_GetThroughEventsApi_ShowsEventsApiFields()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync("ev");
        (await Cluster.Kubectl.RunWithInputAsync(CoreEventYaml("pulled", "web", ns), "create", "-n", ns, "-f", "-")).EnsureSuccess();

        var json = (await Cluster.Kubectl.RunAsync("get", "events.v1.events.k8s.io", "pulled", "-n", ns, "-o", "json")).EnsureSuccess();
        var ev = JsonNode.Parse(json.Stdout)!;

        Assert.Equal("events.k8s.io/v1", ev["apiVersion"]?.GetValue<string>());
        Assert.Equal("Container image pulled", ev["note"]?.GetValue<string>());
        Assert.Equal("web", ev["regarding"]?["name"]?.GetValue<string>());
        Assert.Equal("kubelet", ev["deprecatedSource"]?["component"]?.GetValue<string>());
        Assert.Equal(2, ev["deprecatedCount"]?.GetValue<int>());
        Assert.Null(ev["message"]);
    }

    [SkippableFact]
    public async Task KubectlCreateEventsApiEvent_GetCoreEvents_PrintsUpstreamColumns()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync("ev");
        (await Cluster.Kubectl.RunWithInputAsync(EventsApiEventYaml("scheduled", "web", ns), "create", "-n", ns, "-f", "-")).EnsureSuccess();

        var core = (await Cluster.Kubectl.RunAsync("get", "events", "-n", ns)).EnsureSuccess();
        var eventsApi = (await Cluster.Kubectl.RunAsync("get", "events.v1.events.k8s.io", "-n", ns)).EnsureSuccess();
        var message = (await Cluster.Kubectl.RunAsync("get", "events", "scheduled", "-n", ns, "-o", "jsonpath={.message}|{.reportingComponent}|{.involvedObject.name}")).EnsureSuccess();

        // printEvent's columns (pkg/printers/internalversion/printers.go), for either API.
        var header = Columns(core.Stdout.Split('\n')[0]);
        Assert.Equal(["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"], header);
        Assert.Equal(header, Columns(eventsApi.Stdout.Split('\n')[0]));
        Assert.Contains("Scheduled", core.Stdout, StringComparison.Ordinal);
        Assert.Contains("pod/web", eventsApi.Stdout, StringComparison.Ordinal);
        Assert.Contains("Successfully assigned to n1", eventsApi.Stdout, StringComparison.Ordinal);
        Assert.Equal("Successfully assigned to n1|default-scheduler|web", message.Stdout);
    }

    [SkippableFact]
    public async Task KubectlFieldSelector_EachApiItsOwnNames_SelectsTheSameEvent()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync("ev");
        (await Cluster.Kubectl.RunWithInputAsync(CoreEventYaml("about-web", "web", ns), "create", "-n", ns, "-f", "-")).EnsureSuccess();
        (await Cluster.Kubectl.RunWithInputAsync(EventsApiEventYaml("about-db", "db", ns), "create", "-n", ns, "-f", "-")).EnsureSuccess();

        var core = (await Cluster.Kubectl.RunAsync("get", "events", "-n", ns, "--field-selector", "involvedObject.name=db", "-o", "name")).EnsureSuccess();
        var eventsApi = (await Cluster.Kubectl.RunAsync("get", "events.v1.events.k8s.io", "-n", ns, "--field-selector", "regarding.name=web", "-o", "name")).EnsureSuccess();
        var refused = await Cluster.Kubectl.RunAsync("get", "events.v1.events.k8s.io", "-n", ns, "--field-selector", "involvedObject.name=web");

        Assert.Equal("event/about-db", core.Stdout.Trim());
        Assert.Equal("event.events.k8s.io/about-web", eventsApi.Stdout.Trim());
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("field label not supported: involvedObject.name", refused.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task KubectlCreateEventsApiEvent_MissingWhatTheNewApiRequires_RefusedAsUpstream()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync("ev");
        var incomplete = $"apiVersion: events.k8s.io/v1\nkind: Event\nmetadata: {{name: bare}}\nregarding: {{kind: Pod, name: web, namespace: {ns}}}\nreason: Started\ntype: Normal\n";

        var refused = await Cluster.Kubectl.RunWithInputAsync(incomplete, "create", "-n", ns, "-f", "-");

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("The Event \"bare\" is invalid: ", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("eventTime: Required value", refused.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task OfficialClient_CreateThroughEventsApi_ReadThroughCore()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        using var client = CreateClient();
        var ns = await Cluster.CreateNamespaceAsync("ev");

        await client.EventsV1.CreateNamespacedEventAsync(EventsApiEvent("scheduled", "web", ns), ns);
        var core = await client.CoreV1.ReadNamespacedEventAsync("scheduled", ns);
        await client.CoreV1.PatchNamespacedEventAsync(new V1Patch("""{"message":"patched through core"}""", V1Patch.PatchType.MergePatch), "scheduled", ns);
        var eventsApi = await client.EventsV1.ReadNamespacedEventAsync("scheduled", ns);

        Assert.Equal("Successfully assigned to n1", core.Message);
        Assert.Equal("web", core.InvolvedObject.Name);
        Assert.Equal("default-scheduler", core.ReportingComponent);
        Assert.Equal("Scheduled", core.Reason);
        Assert.Equal("patched through core", eventsApi.Note);
        Assert.Equal("default-scheduler", eventsApi.ReportingController);
        Assert.Equal(core.Metadata.Uid, eventsApi.Metadata.Uid);
    }

    [SkippableFact]
    public async Task OfficialClient_WatchThroughEventsApi_SeesCoreWrites()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        using var client = CreateClient();
        var ns = await Cluster.CreateNamespaceAsync("ev");
        await client.EventsV1.CreateNamespacedEventAsync(EventsApiEvent("before", "web", ns), ns);
        using var stop = new CancellationTokenSource(_watchTimeout);
        var events = Channel.CreateUnbounded<(WatchEventType Type, Eventsv1Event Object)>();
        var unfiltered = WatchAsync(client, ns, null, events.Writer, stop.Token);
        var filtered = Channel.CreateUnbounded<(WatchEventType Type, Eventsv1Event Object)>();
        var byRegarding = WatchAsync(client, ns, "regarding.name=db", filtered.Writer, stop.Token);

        // A watch without a resourceVersion starts with the current state: seeing "before" means it is established.
        Assert.Equal((WatchEventType.Added, "before", "Successfully assigned to n1"), await NextAsync(events.Reader, stop.Token));
        await client.CoreV1.CreateNamespacedEventAsync(CoreEvent("pulled", "db", ns), ns);
        await client.CoreV1.PatchNamespacedEventAsync(new V1Patch("""{"count":3}""", V1Patch.PatchType.MergePatch), "pulled", ns);
        await client.CoreV1.DeleteNamespacedEventAsync("pulled", ns);

        Assert.Equal((WatchEventType.Added, "pulled", "Container image pulled"), await NextAsync(events.Reader, stop.Token));
        var (type, modified) = await events.Reader.ReadAsync(stop.Token);
        Assert.Equal((WatchEventType.Modified, 3), (type, modified.DeprecatedCount));
        Assert.Equal((WatchEventType.Deleted, "pulled", "Container image pulled"), await NextAsync(events.Reader, stop.Token));
        Assert.Equal((WatchEventType.Added, "pulled", "Container image pulled"), await NextAsync(filtered.Reader, stop.Token));
        await stop.CancelAsync();
        await Task.WhenAny(Task.WhenAll(unfiltered, byRegarding), Task.Delay(_watchTimeout, CancellationToken.None));
    }

    private static Task WatchAsync(Kubernetes client, string ns, string? fieldSelector, ChannelWriter<(WatchEventType, Eventsv1Event)> writer, CancellationToken cancellationToken) =>
        Task.Run(async () =>
        {
            await foreach (var item in client.EventsV1.WatchListNamespacedEventAsync(ns, fieldSelector: fieldSelector, cancellationToken: cancellationToken))
            {
                await writer.WriteAsync(item, cancellationToken);
            }
        }, cancellationToken);

    private static async Task<(WatchEventType, string, string)> NextAsync(ChannelReader<(WatchEventType Type, Eventsv1Event Object)> reader, CancellationToken cancellationToken)
    {
        var (type, ev) = await reader.ReadAsync(cancellationToken);
        return (type, ev.Metadata.Name, ev.Note);
    }

    private static string[] Columns(string headerLine) =>
        [.. System.Text.RegularExpressions.Regex.Split(headerLine.Trim(), "\\s{2,}")];

    private Kubernetes CreateClient() => new(KubernetesClientConfiguration.BuildConfigFromConfigFile(Cluster.Host.KubeconfigPath));

    private static string CoreEventYaml(string name, string pod, string ns) => $"""
        apiVersion: v1
        kind: Event
        metadata: {"{"}name: {name}{"}"}
        involvedObject: {"{"}kind: Pod, name: {pod}, namespace: {ns}{"}"}
        reason: Pulled
        message: Container image pulled
        source: {"{"}component: kubelet, host: n1{"}"}
        firstTimestamp: "2026-01-02T03:04:05Z"
        lastTimestamp: "2026-01-02T03:05:05Z"
        count: 2
        type: Normal
        """;

    private static string EventsApiEventYaml(string name, string pod, string ns) => $"""
        apiVersion: events.k8s.io/v1
        kind: Event
        metadata: {"{"}name: {name}{"}"}
        eventTime: "2026-01-02T03:04:05.000000Z"
        reportingController: default-scheduler
        reportingInstance: default-scheduler-n1
        action: Binding
        reason: Scheduled
        regarding: {"{"}kind: Pod, name: {pod}, namespace: {ns}{"}"}
        note: Successfully assigned to n1
        type: Normal
        """;

    private static Corev1Event CoreEvent(string name, string pod, string ns) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        InvolvedObject = new V1ObjectReference { Kind = "Pod", Name = pod, NamespaceProperty = ns },
        Reason = "Pulled",
        Message = "Container image pulled",
        Source = new V1EventSource { Component = "kubelet", Host = "n1" },
        Count = 1,
        Type = "Normal",
    };

    private static Eventsv1Event EventsApiEvent(string name, string pod, string ns) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        // eventTime is a MicroTime, which upstream decodes only with six fractional digits; KubernetesClient writes a
        // whole second without any ("...:05Z"), which upstream refuses, so the time carries microseconds.
        EventTime = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1230),
        ReportingController = "default-scheduler",
        ReportingInstance = "default-scheduler-n1",
        Action = "Binding",
        Reason = "Scheduled",
        Regarding = new V1ObjectReference { Kind = "Pod", Name = pod, NamespaceProperty = ns },
        Note = "Successfully assigned to n1",
        Type = "Normal",
    };
}

public sealed class SharedEventStorageTestsOnSqlite : SharedEventStorageTests<SqliteClusterFixture>
{
    public SharedEventStorageTestsOnSqlite(SqliteClusterFixture fixture)
        : base(fixture)
    {
    }
}
