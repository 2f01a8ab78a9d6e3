using System.Net;
using System.Text.Json.Nodes;

namespace Timonel.IntegrationTests;

/// <summary>kubectl create token: the serviceaccounts/token subresource (TokenRequest), as upstream answers it.</summary>
public sealed class ServiceAccountTokenTests : IClassFixture<SqliteClusterFixture>
{
    private readonly SqliteClusterFixture _fixture;

    public ServiceAccountTokenTests(SqliteClusterFixture fixture) => _fixture = fixture;

    private TestCluster Cluster => _fixture.Cluster;

    private Kubectl Kubectl => Cluster.Kubectl;

    [SkippableFact]
    public async Task CreateToken_ExistingServiceAccount_PrintsATokenThatAuthenticatesAsIt()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        (await Kubectl.RunAsync("create", "serviceaccount", "builder", "-n", ns)).EnsureSuccess();
        var uid = (await Kubectl.RunAsync("get", "serviceaccount", "builder", "-n", ns, "-o", "jsonpath={.metadata.uid}")).EnsureSuccess().Stdout;

        var created = (await Kubectl.RunAsync("create", "token", "builder", "-n", ns)).EnsureSuccess();
        var token = created.Stdout.Trim();
        using var asAccount = ApiHttp.Create(Cluster.Host.Url, Cluster.Host.Pki.CertificateAuthority, bearerToken: token);
        using var review = await asAccount.PostAsync("/apis/authentication.k8s.io/v1/selfsubjectreviews", ApiHttp.Json("{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}"));
        var user = await ApiHttp.ReadObjectAsync(review);
        var claims = Claims(token);

        Assert.Equal(HttpStatusCode.Created, review.StatusCode);
        Assert.Equal($"system:serviceaccount:{ns}:builder", user?["status"]?["userInfo"]?["username"]?.GetValue<string>());
        Assert.Equal(uid, claims["kubernetes.io"]?["serviceaccount"]?["uid"]?.GetValue<string>());
        // SetDefaults_TokenRequestSpec: an hour when kubectl sends no --duration.
        Assert.Equal(3600, claims["exp"]!.GetValue<long>() - claims["iat"]!.GetValue<long>());
    }

    [SkippableFact]
    public async Task Token_ServiceAccountDeleted_NoLongerAuthenticates()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        (await Kubectl.RunAsync("create", "serviceaccount", "builder", "-n", ns)).EnsureSuccess();
        var token = (await Kubectl.RunAsync("create", "token", "builder", "-n", ns)).EnsureSuccess().Stdout.Trim();
        using var asAccount = ApiHttp.Create(Cluster.Host.Url, Cluster.Host.Pki.CertificateAuthority, bearerToken: token);
        using var before = await asAccount.PostAsync("/apis/authentication.k8s.io/v1/selfsubjectreviews", ApiHttp.Json(SelfSubjectReview));

        (await Kubectl.RunAsync("delete", "serviceaccount", "builder", "-n", ns)).EnsureSuccess();
        using var after = await asAccount.PostAsync("/apis/authentication.k8s.io/v1/selfsubjectreviews", ApiHttp.Json(SelfSubjectReview));
        var review = (await Kubectl.RunWithInputAsync(TokenReview(token), "create", "-f", "-", "-o", "json")).EnsureSuccess();

        Assert.Equal(HttpStatusCode.Created, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Null(JsonNode.Parse(review.Stdout)!["status"]!["authenticated"]);
    }

    [SkippableFact]
    public async Task Token_ServiceAccountRecreatedUnderTheSameName_NoLongerAuthenticates()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        (await Kubectl.RunAsync("create", "serviceaccount", "builder", "-n", ns)).EnsureSuccess();
        var oldToken = (await Kubectl.RunAsync("create", "token", "builder", "-n", ns)).EnsureSuccess().Stdout.Trim();

        (await Kubectl.RunAsync("delete", "serviceaccount", "builder", "-n", ns)).EnsureSuccess();
        (await Kubectl.RunAsync("create", "serviceaccount", "builder", "-n", ns)).EnsureSuccess();
        var newToken = (await Kubectl.RunAsync("create", "token", "builder", "-n", ns)).EnsureSuccess().Stdout.Trim();
        using var withOld = ApiHttp.Create(Cluster.Host.Url, Cluster.Host.Pki.CertificateAuthority, bearerToken: oldToken);
        using var withNew = ApiHttp.Create(Cluster.Host.Url, Cluster.Host.Pki.CertificateAuthority, bearerToken: newToken);
        using var old = await withOld.PostAsync("/apis/authentication.k8s.io/v1/selfsubjectreviews", ApiHttp.Json(SelfSubjectReview));
        using var current = await withNew.PostAsync("/apis/authentication.k8s.io/v1/selfsubjectreviews", ApiHttp.Json(SelfSubjectReview));
        var oldReview = (await Kubectl.RunWithInputAsync(TokenReview(oldToken), "create", "-f", "-", "-o", "json")).EnsureSuccess();
        var newReview = (await Kubectl.RunWithInputAsync(TokenReview(newToken), "create", "-f", "-", "-o", "json")).EnsureSuccess();

        // The old token's UID claim names the deleted account, not its namesake.
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        Assert.Equal(HttpStatusCode.Created, current.StatusCode);
        Assert.Null(JsonNode.Parse(oldReview.Stdout)!["status"]!["authenticated"]);
        Assert.True(JsonNode.Parse(newReview.Stdout)!["status"]!["authenticated"]!.GetValue<bool>());
    }

    [SkippableFact]
    public async Task CreateToken_OutputYaml_AnswersTheTokenRequest()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        (await Kubectl.RunAsync("create", "serviceaccount", "builder", "-n", ns)).EnsureSuccess();

        var created = (await Kubectl.RunAsync("create", "token", "builder", "-n", ns, "--duration=2h", "--audience=vault", "-o", "jsonpath={.kind} {.metadata.name} {.spec.expirationSeconds} {.spec.audiences} {.status.expirationTimestamp}")).EnsureSuccess();

        var fields = created.Stdout.Split(' ');
        Assert.Equal(["TokenRequest", "builder", "7200", "[\"vault\"]"], fields[..4]);
        Assert.EndsWith("Z", fields[4], StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task CreateToken_ForAnotherAudience_IsNotACredentialHere()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        (await Kubectl.RunAsync("create", "serviceaccount", "builder", "-n", ns)).EnsureSuccess();

        var token = (await Kubectl.RunAsync("create", "token", "builder", "-n", ns, "--audience=vault")).EnsureSuccess().Stdout.Trim();
        using var asAccount = ApiHttp.Create(Cluster.Host.Url, Cluster.Host.Pki.CertificateAuthority, bearerToken: token);
        using var response = await asAccount.GetAsync("/api/v1/namespaces");

        Assert.Equal(["vault"], Claims(token)["aud"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [SkippableTheory]
    [InlineData("--duration=1m", "error: failed to create token: TokenRequest.authentication.k8s.io \"\" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes")]
    [InlineData("--duration=2000000h", "error: failed to create token: TokenRequest.authentication.k8s.io \"\" is invalid: spec.expirationSeconds: Invalid value: 7200000000: may not specify a duration larger than 2^32 seconds")]
    public async Task CreateToken_DurationOutOfBounds_UpstreamsInvalidError(string duration, string expected)
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        (await Kubectl.RunAsync("create", "serviceaccount", "builder", "-n", ns)).EnsureSuccess();

        var result = await Kubectl.RunAsync("create", "token", "builder", "-n", ns, duration);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal(expected, result.Stderr.Trim());
    }

    [SkippableFact]
    public async Task CreateToken_MissingServiceAccount_NotFound()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();

        var result = await Kubectl.RunAsync("create", "token", "nobody", "-n", ns);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal("error: failed to create token: serviceaccounts \"nobody\" not found", result.Stderr.Trim());
    }

    [SkippableTheory]
    [InlineData("""{"spec":{"audiences":[5]}}""", "spec.audiences of type []string")]
    [InlineData("""{"spec":{"expirationSeconds":"an hour"}}""", "spec.expirationSeconds of type int64")]
    public async Task TokenRequest_ValueOfWrongType_IsABadRequest(string body, string expected)
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        using var admin = Cluster.CreateAdminHttpClient();

        using var response = await admin.PostAsync($"/api/v1/namespaces/{ns}/serviceaccounts/default/token", ApiHttp.Json(body));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.EndsWith(expected, (await ApiHttp.ReadObjectAsync(response))!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ApiResources_ServiceAccountToken_IsListedAsACreateOnlySubresource()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        using var admin = Cluster.CreateAdminHttpClient();

        var list = await ApiHttp.ReadObjectAsync(await admin.GetAsync("/api/v1"));

        var token = list!["resources"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == "serviceaccounts/token");
        Assert.Equal("TokenRequest", token!["kind"]!.GetValue<string>());
        Assert.Equal("authentication.k8s.io", token["group"]!.GetValue<string>());
        Assert.Equal("[\"create\"]", token["verbs"]!.ToJsonString());
    }

    private const string SelfSubjectReview = "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}";

    private static string TokenReview(string token) => $"apiVersion: authentication.k8s.io/v1\nkind: TokenReview\nspec:\n  token: {token}\n";

    private static JsonObject Claims(string token)
    {
        var payload = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        return JsonNode.Parse(Convert.FromBase64String(payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=')))!.AsObject();
    }
}
