using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Timonel.Client.Events;

namespace Timonel.IntegrationTests;

/// <summary>
/// What a user sees of the shared event recorder: the same event reported again about one object is one Event whose
/// count grows, which the real kubectl prints in its COUNT column (get events -o wide, printEvent) and as
/// "(x3 over ...)" (kubectl events).
/// </summary>
public sealed class EventRecorderTests : IClassFixture<SqliteClusterFixture>
{
    private readonly SqliteClusterFixture _fixture;

    public EventRecorderTests(SqliteClusterFixture fixture) => _fixture = fixture;

    private TestCluster Cluster => _fixture.Cluster;

    [SkippableFact]
    public async Task Event_ReportedThreeTimesAboutOneObject_KubectlShowsOneRowWithCountThree()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync("rec");
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Cluster.Host.KubeconfigPath));
        var configMap = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "settings" } }, ns);

        var broadcaster = new EventBroadcaster(new KubernetesEventSink(client), TimeProvider.System, NullLogger.Instance);
        var recorder = broadcaster.NewRecorder("settings-checker");
        for (var i = 0; i < 3; i++)
        {
            recorder.Event(configMap, "Warning", "Outdated", "settings were last reviewed a year ago");
        }

        await broadcaster.DisposeAsync();
        var wide = (await Cluster.Kubectl.RunAsync("get", "events", "-n", ns, "-o", "wide")).EnsureSuccess().Stdout;
        var events = (await Cluster.Kubectl.RunAsync("events", "-n", ns)).EnsureSuccess().Stdout;

        var lines = wide.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0];
        var row = Assert.Single(lines.Skip(1));
        var countAt = header.IndexOf("COUNT", StringComparison.Ordinal);
        Assert.True(countAt > 0, header);
        Assert.Equal("3", row[countAt..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]);
        Assert.Contains("configmap/settings", row, StringComparison.Ordinal);
        Assert.Contains("settings-checker", row, StringComparison.Ordinal);
        Assert.Contains("(x3 over", events, StringComparison.Ordinal);
    }
}
