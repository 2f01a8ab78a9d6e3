using Timonel.HostileTests.Classes;
using Timonel.HostileTests.Running;
using Timonel.HostileTests.Targets;
using Timonel.IntegrationTests;
using Timonel.Storage;

namespace Timonel.HostileTests.Identities;

/// <summary>
/// One in-process server with a static token file naming a user without bindings, and one run per identity: every
/// class's cases (and <see cref="RightsClass"/>) sent as that identity into a namespace of its own, the store listed
/// (as the admin) before and after every batch.
/// </summary>
public sealed class HostileIdentityFixture : IAsyncLifetime
{
    private readonly Dictionary<string, Lazy<Task<SuiteReport>>> _runs = new(StringComparer.Ordinal);
    private TestCluster? _cluster;
    private IReadOnlyList<SuiteTarget> _targets = [];

    public HostileIdentityFixture()
    {
        foreach (var identity in HostileIdentity.All)
        {
            _runs[identity.Name] = new(() => RunAsync(identity));
        }
    }

    public string? SkipReason => Kubectl.IsInstalled ? null : Kubectl.SkipReason;

    internal Task<SuiteReport> Report(string identity) => _runs[identity].Value;

    public async Task InitializeAsync()
    {
        if (SkipReason is not null)
        {
            return;
        }

        _cluster = await TestCluster.StartAsync(dir => StorageBackendFactory.CreateAsync(null, dir), options =>
        {
            var tokens = Path.Combine(options.DataDir, "tokens.csv");
            File.WriteAllText(tokens, $"{HostileIdentity.NobodyToken},{HostileIdentity.NobodyName},nobody-uid,\"hostile-devs\"\n");
            return options with { TokenAuthFile = tokens };
        });
        using var admin = _cluster.CreateAdminHttpClient();
        _targets = await TargetSetup.PrepareAsync(_cluster, admin, HostileIdentity.All.Count);
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    private async Task<SuiteReport> RunAsync(HostileIdentity identity)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var cluster = _cluster!;
        var target = _targets[HostileIdentity.All.ToList().IndexOf(identity)];
        using var admin = cluster.CreateAdminHttpClient();
        using var sender = ApiHttp.Create(cluster.Host.Url, cluster.Host.Pki.CertificateAuthority, bearerToken: identity.BearerToken);
        var raw = new RawHttp(cluster.Host.Url, cluster.Host.Pki.CertificateAuthority, cluster.Host.Pki.Admin);
        var runner = new SuiteRunner(new CaseSender(sender, raw), new StoreSnapshot(admin, target.Kinds), admin);
        var reports = new List<ClassReport>();
        HostileClass[] classes = [.. HostileClasses.All, new RightsClass()];
        for (var i = 0; i < classes.Length; i++)
        {
            reports.Add(await runner.RunAsync(new IdentityClass(classes[i], identity), i, target));
        }

        return new SuiteReport(reports, clock.Elapsed);
    }
}
