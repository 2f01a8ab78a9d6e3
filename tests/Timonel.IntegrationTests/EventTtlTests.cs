using System.Diagnostics;
using System.Net;

namespace Timonel.IntegrationTests;

/// <summary><c>timonel server --event-ttl</c>: Events go away that long after their last write, as with kube-apiserver's flag.</summary>
public sealed class EventTtlTests : IDisposable
{
    private static readonly TimeSpan _startTimeout = TimeSpan.FromMinutes(4);
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "timonel-ttl-" + Guid.NewGuid().ToString("N")[..10]);

    [SkippableFact]
    public async Task EventTtlTwoSeconds_EventCreated_GoneAfterwards()
    {
        Skip.If(ServerProcess.RepoRoot is null, "the repository's ./timonel launcher is not above the test binaries");
        await using var server = ServerProcess.Start(_dataDir, "--event-ttl", "2s", "--disable-scheduler");
        Assert.True(await server.WaitReadyAsync(_startTimeout), "the server did not become ready:\n" + server.Output);
        using var client = server.CreateClient();
        const string Path = "/api/v1/namespaces/default/events";
        var now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

        using var created = await client.PostAsync(Path, ApiHttp.Json($$"""
            {"apiVersion":"v1","kind":"Event","metadata":{"name":"short-lived"},
             "involvedObject":{"apiVersion":"v1","kind":"Pod","namespace":"default","name":"web"},
             "reason":"Pulled","message":"Container image pulled","type":"Normal","source":{"component":"kubelet"},
             "firstTimestamp":"{{now}}","lastTimestamp":"{{now}}","count":1}
            """));
        var status = HttpStatusCode.OK;
        var waited = Stopwatch.StartNew();
        while (status == HttpStatusCode.OK && waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(250);
            using var read = await client.GetAsync($"{Path}/short-lived");
            status = read.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [SkippableFact]
    public async Task EventTtl_NotADuration_ExitsOneSayingSo()
    {
        Skip.If(ServerProcess.RepoRoot is null, "the repository's ./timonel launcher is not above the test binaries");
        await using var server = ServerProcess.Start(_dataDir, "--event-ttl", "soon");

        Assert.Equal(1, await server.WaitForExitAsync(_startTimeout));
        Assert.Contains("invalid argument \"soon\" for \"--event-ttl\" flag", server.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }
}
