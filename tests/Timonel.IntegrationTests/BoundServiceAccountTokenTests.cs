using System.Text.Json.Nodes;

namespace Timonel.IntegrationTests;

/// <summary>
/// kubectl create token --bound-object-kind: tokens bound to a pod or secret, which name it in their claims and in
/// the user's extra, and stop authenticating once it is deleted (upstream's token.go and claims.go).
/// </summary>
public sealed class BoundServiceAccountTokenTests : IClassFixture<SqliteClusterFixture>
{
    private readonly SqliteClusterFixture _fixture;

    public BoundServiceAccountTokenTests(SqliteClusterFixture fixture) => _fixture = fixture;

    private TestCluster Cluster => _fixture.Cluster;

    private Kubectl Kubectl => Cluster.Kubectl;

    [SkippableFact]
    public async Task CreateToken_BoundToPod_WhoamiShowsThePodInExtra()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        await CreateServiceAccountAndPodAsync(ns, "builder", "p");
        var podUid = (await Kubectl.RunAsync("get", "pod", "p", "-n", ns, "-o", "jsonpath={.metadata.uid}")).EnsureSuccess().Stdout;

        var token = (await Kubectl.RunAsync("create", "token", "builder", "-n", ns, "--bound-object-kind", "Pod", "--bound-object-name", "p")).EnsureSuccess().Stdout.Trim();
        var whoami = (await Cluster.TokenKubectl(token).RunAsync("auth", "whoami", "-o", "json")).EnsureSuccess();

        var user = JsonNode.Parse(whoami.Stdout)!["status"]!["userInfo"]!;
        Assert.Equal($"system:serviceaccount:{ns}:builder", user["username"]!.GetValue<string>());
        Assert.Equal("[\"p\"]", user["extra"]!["authentication.kubernetes.io/pod-name"]!.ToJsonString());
        Assert.Equal($"[\"{podUid}\"]", user["extra"]!["authentication.kubernetes.io/pod-uid"]!.ToJsonString());
        Assert.StartsWith("JTI=", user["extra"]!["authentication.kubernetes.io/credential-id"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(podUid, Claims(token)["kubernetes.io"]!["pod"]!["uid"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task Token_BoundPodDeleted_Unauthorized()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        await CreateServiceAccountAndPodAsync(ns, "builder", "p");
        var token = (await Kubectl.RunAsync("create", "token", "builder", "-n", ns, "--bound-object-kind", "Pod", "--bound-object-name", "p")).EnsureSuccess().Stdout.Trim();
        var before = await Cluster.TokenKubectl(token).RunAsync("auth", "whoami");

        (await Kubectl.RunAsync("delete", "pod", "p", "-n", ns)).EnsureSuccess();
        var after = await Cluster.TokenKubectl(token).RunAsync("auth", "whoami");

        Assert.Equal(0, before.ExitCode);
        Assert.NotEqual(0, after.ExitCode);
        Assert.Equal("error: You must be logged in to the server (Unauthorized)", after.Stderr.Trim());
    }

    [SkippableFact]
    public async Task Token_BoundSecretDeleted_Unauthorized()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        (await Kubectl.RunAsync("create", "serviceaccount", "builder", "-n", ns)).EnsureSuccess();
        (await Kubectl.RunAsync("create", "secret", "generic", "s", "-n", ns)).EnsureSuccess();
        var token = (await Kubectl.RunAsync("create", "token", "builder", "-n", ns, "--bound-object-kind", "Secret", "--bound-object-name", "s")).EnsureSuccess().Stdout.Trim();
        var before = await Cluster.TokenKubectl(token).RunAsync("auth", "whoami");

        (await Kubectl.RunAsync("delete", "secret", "s", "-n", ns)).EnsureSuccess();
        var after = await Cluster.TokenKubectl(token).RunAsync("auth", "whoami");

        Assert.Equal(0, before.ExitCode);
        Assert.Equal("error: You must be logged in to the server (Unauthorized)", after.Stderr.Trim());
    }

    [SkippableFact]
    public async Task CreateToken_BoundToMissingPod_NotFound()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        (await Kubectl.RunAsync("create", "serviceaccount", "builder", "-n", ns)).EnsureSuccess();

        var result = await Kubectl.RunAsync("create", "token", "builder", "-n", ns, "--bound-object-kind", "Pod", "--bound-object-name", "nowhere");

        Assert.Equal("error: failed to create token: pods \"nowhere\" not found", result.Stderr.Trim());
    }

    [SkippableFact]
    public async Task CreateToken_BoundToPodOfAnotherServiceAccount_BadRequest()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        await CreateServiceAccountAndPodAsync(ns, "builder", "p");
        (await Kubectl.RunAsync("create", "serviceaccount", "other", "-n", ns)).EnsureSuccess();

        var result = await Kubectl.RunAsync("create", "token", "other", "-n", ns, "--bound-object-kind", "Pod", "--bound-object-name", "p");

        Assert.Equal("error: failed to create token: cannot bind token for serviceaccount \"other\" to pod running with different serviceaccount name.", result.Stderr.Trim());
    }

    [SkippableFact]
    public async Task CreateToken_BoundObjectUidOfAnotherPod_Conflict()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        await CreateServiceAccountAndPodAsync(ns, "builder", "p");

        var result = await Kubectl.RunAsync("create", "token", "builder", "-n", ns, "--bound-object-kind", "Pod", "--bound-object-name", "p", "--bound-object-uid", "0000");

        Assert.Equal("error: failed to create token: Operation cannot be fulfilled on Pod \"p\": the UID in the bound object reference (0000) does not match the UID in record. The object might have been deleted and then recreated", result.Stderr.Trim());
    }

    private async Task CreateServiceAccountAndPodAsync(string ns, string serviceAccount, string pod)
    {
        (await Kubectl.RunAsync("create", "serviceaccount", serviceAccount, "-n", ns)).EnsureSuccess();
        (await Kubectl.RunWithInputAsync($"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: {pod}
            spec:
              serviceAccountName: {serviceAccount}
              containers:
              - name: app
                image: nginx
            """, "create", "-n", ns, "-f", "-")).EnsureSuccess();
    }

    private static JsonObject Claims(string token)
    {
        var payload = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        return JsonNode.Parse(Convert.FromBase64String(payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=')))!.AsObject();
    }
}
