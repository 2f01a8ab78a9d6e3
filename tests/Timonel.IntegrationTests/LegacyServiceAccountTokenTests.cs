using System.Text;
using System.Text.Json.Nodes;

namespace Timonel.IntegrationTests;

/// <summary>
/// Secrets of type kubernetes.io/service-account-token, created by hand as 1.24+ clusters require: the tokens
/// controller fills them with a legacy token, which authenticates as the account while the Secret holds it
/// (upstream's tokens_controller.go and pkg/serviceaccount/legacy.go).
/// </summary>
public sealed class LegacyServiceAccountTokenTests : IClassFixture<SqliteClusterFixture>
{
    private readonly SqliteClusterFixture _fixture;

    public LegacyServiceAccountTokenTests(SqliteClusterFixture fixture) => _fixture = fixture;

    private TestCluster Cluster => _fixture.Cluster;

    private Kubectl Kubectl => Cluster.Kubectl;

    [SkippableFact]
    public async Task ApplyTokenSecret_DefaultAccount_TokenAuthenticatesUntilTheSecretIsDeleted()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        var accountUid = (await Kubectl.RunAsync("get", "serviceaccount", "default", "-n", ns, "-o", "jsonpath={.metadata.uid}")).EnsureSuccess().Stdout;

        (await Kubectl.RunWithInputAsync(TokenSecretYaml("default-token", "default"), "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        var secret = await FilledSecretAsync(ns, "default-token");
        var token = Data(secret, "token");
        var whoami = (await Cluster.TokenKubectl(token).RunAsync("auth", "whoami", "-o", "json")).EnsureSuccess();
        var lastUsed = (await Kubectl.RunAsync("get", "secret", "default-token", "-n", ns, "-o", "jsonpath={.metadata.labels.kubernetes\\.io/legacy-token-last-used}")).EnsureSuccess().Stdout;
        (await Kubectl.RunAsync("delete", "secret", "default-token", "-n", ns)).EnsureSuccess();
        var after = await Cluster.TokenKubectl(token).RunAsync("auth", "whoami");

        Assert.Equal(ns, Data(secret, "namespace"));
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", Data(secret, "ca.crt"), StringComparison.Ordinal);
        Assert.Equal(accountUid, secret["metadata"]!["annotations"]!["kubernetes.io/service-account.uid"]!.GetValue<string>());
        Assert.Equal($"system:serviceaccount:{ns}:default", JsonNode.Parse(whoami.Stdout)!["status"]!["userInfo"]!["username"]!.GetValue<string>());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", lastUsed);
        Assert.Equal("error: You must be logged in to the server (Unauthorized)", after.Stderr.Trim());
    }

    [SkippableFact]
    public async Task DeleteServiceAccount_WithTokenSecret_SecretDeletedAndTokenRefused()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        (await Kubectl.RunAsync("create", "serviceaccount", "builder", "-n", ns)).EnsureSuccess();
        (await Kubectl.RunWithInputAsync(TokenSecretYaml("builder-token", "builder"), "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        var token = Data(await FilledSecretAsync(ns, "builder-token"), "token");

        (await Kubectl.RunAsync("delete", "serviceaccount", "builder", "-n", ns)).EnsureSuccess();
        var gone = await Kubectl.RunAsync("wait", "--for=delete", "secret/builder-token", "-n", ns, "--timeout=60s");
        var after = await Cluster.TokenKubectl(token).RunAsync("auth", "whoami");

        Assert.Equal(0, gone.ExitCode);
        Assert.Equal("error: You must be logged in to the server (Unauthorized)", after.Stderr.Trim());
    }

    private static string TokenSecretYaml(string name, string account) => $"""
        apiVersion: v1
        kind: Secret
        metadata:
          name: {name}
          annotations:
            kubernetes.io/service-account.name: {account}
        type: kubernetes.io/service-account-token
        """;

    private static string Data(JsonNode secret, string key) =>
        Encoding.UTF8.GetString(Convert.FromBase64String(secret["data"]?[key]?.GetValue<string>() ?? ""));

    /// <summary>The Secret once the controller has written its token (polled every second, 60 s at most).</summary>
    private async Task<JsonNode> FilledSecretAsync(string ns, string name)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var secret = JsonNode.Parse((await Kubectl.RunAsync("get", "secret", name, "-n", ns, "-o", "json")).EnsureSuccess().Stdout)!;
            if (secret["data"]?["token"] is not null || DateTime.UtcNow > deadline)
            {
                return secret;
            }

            await Task.Delay(1000);
        }
    }
}
