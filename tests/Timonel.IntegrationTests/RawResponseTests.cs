namespace Timonel.IntegrationTests;

/// <summary>
/// What a raw reader (kubectl get --raw, curl) sees: JSON written as kube-apiserver writes it, with non-ASCII text as
/// UTF-8 and quotes as \", from the store, the watch cache and error answers alike. Runs on SQLite only.
/// </summary>
public sealed class RawResponseTests : IClassFixture<SqliteClusterFixture>
{
    private readonly SqliteClusterFixture _fixture;

    public RawResponseTests(SqliteClusterFixture fixture) => _fixture = fixture;

    private Kubectl Kubectl => _fixture.Cluster.Kubectl;

    [SkippableFact]
    public async Task GetRaw_NonAsciiAndQuotes_AreWrittenAsGoWritesThem()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await _fixture.Cluster.CreateNamespaceAsync();
        const string configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notas\ndata:\n  titulo: 'configuración del \"juego\"'\n";
        (await Kubectl.RunWithInputAsync(configMap, "create", "-n", ns, "-f", "-")).EnsureSuccess();

        var one = (await Kubectl.RunAsync("get", "--raw", $"/api/v1/namespaces/{ns}/configmaps/notas")).EnsureSuccess().Stdout;
        var list = (await Kubectl.RunAsync("get", "--raw", $"/api/v1/namespaces/{ns}/configmaps")).EnsureSuccess().Stdout;
        using var http = _fixture.Cluster.CreateAdminHttpClient();
        using var notFound = await http.GetAsync($"/api/v1/namespaces/{ns}/configmaps/absent");
        var missing = await notFound.Content.ReadAsStringAsync();

        Assert.Contains("\"titulo\":\"configuración del \\\"juego\\\"\"", one, StringComparison.Ordinal);
        Assert.Contains("\"titulo\":\"configuración del \\\"juego\\\"\"", list, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u00", one + list, StringComparison.Ordinal);
        Assert.Contains("\"message\":\"configmaps \\\"absent\\\" not found\"", missing, StringComparison.Ordinal);
    }
}
