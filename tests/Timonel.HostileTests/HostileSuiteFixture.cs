using Timonel.HostileTests.Classes;
using Timonel.HostileTests.Running;
using Timonel.HostileTests.Targets;
using Timonel.IntegrationTests;

namespace Timonel.HostileTests;

/// <summary>
/// One in-process server on SQLite for the whole suite, and the suite's single run: the first test to ask starts it,
/// every class's test then reads its own figures from the same run.
/// </summary>
public sealed class HostileSuiteFixture : IAsyncLifetime
{
    /// <summary>Names a file to write every failing case to, beyond the three per class the test output shows.</summary>
    public const string FailuresFileVariable = "TIMONEL_HOSTILE_FAILURES";

    private readonly SqliteClusterFixture _cluster = new();
    private readonly Lazy<Task<SuiteReport>> _run;

    public HostileSuiteFixture() => _run = new(RunAsync);

    public string? SkipReason => _cluster.SkipReason;

    internal Task<SuiteReport> Report => _run.Value;

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    private async Task<SuiteReport> RunAsync()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var cluster = _cluster.Cluster;
        using var http = cluster.CreateAdminHttpClient();
        var targets = await TargetSetup.PrepareAsync(cluster, http, HostileClasses.All.Count);
        var raw = new RawHttp(cluster.Host.Url, cluster.Host.Pki.CertificateAuthority, cluster.Host.Pki.Admin);
        var runner = new SuiteRunner(new CaseSender(http, raw), new StoreSnapshot(http, targets[0].Kinds), http);
        var reports = new List<ClassReport>();
        for (var i = 0; i < HostileClasses.All.Count; i++)
        {
            reports.Add(await runner.RunAsync(HostileClasses.All[i], i, targets[i]));
        }

        var report = new SuiteReport(reports, clock.Elapsed);
        if (Environment.GetEnvironmentVariable(FailuresFileVariable) is { Length: > 0 } file)
        {
            await File.WriteAllLinesAsync(file, reports.SelectMany(r => r.AllFailures.Prepend("## " + r.Name)));
        }

        return report;
    }
}
