using System.Net;

namespace Timonel.IntegrationTests;

/// <summary>Who may talk to the API: certificates, tokens and service accounts in; anonymous callers only to health.</summary>
public abstract class AuthenticationTests<TFixture> : IClassFixture<TFixture>
    where TFixture : ClusterFixture
{
    private readonly TFixture _fixture;

    protected AuthenticationTests(TFixture fixture) => _fixture = fixture;

    private TestCluster Cluster => _fixture.Cluster;

    [SkippableTheory]
    [InlineData("/livez", HttpStatusCode.OK)]
    [InlineData("/readyz", HttpStatusCode.OK)]
    [InlineData("/healthz", HttpStatusCode.OK)]
    [InlineData("/readyz/ping", HttpStatusCode.OK)]
    [InlineData("/version", HttpStatusCode.OK)]
    [InlineData("/api", HttpStatusCode.Unauthorized)]
    [InlineData("/api/v1/namespaces", HttpStatusCode.Unauthorized)]
    [InlineData("/openapi/v3", HttpStatusCode.Unauthorized)]
    public async Task Anonymous_Request_OnlyHealthAndVersionAnswer(string path, HttpStatusCode expected)
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        using var anonymous = ApiHttp.Create(Cluster.Host.Url, Cluster.Host.Pki.CertificateAuthority);

        using var response = await anonymous.GetAsync(path);

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Unauthorized)
        {
            var status = await ApiHttp.ReadObjectAsync(response);
            Assert.Equal("Unauthorized", status?["reason"]?.GetValue<string>());
        }
    }

    [SkippableFact]
    public async Task JoinToken_AsBearer_IsAnAdministrator()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        using var withToken = ApiHttp.Create(Cluster.Host.Url, Cluster.Host.Pki.CertificateAuthority, bearerToken: Cluster.Host.Token.Full);
        using var wrongToken = ApiHttp.Create(Cluster.Host.Url, Cluster.Host.Pki.CertificateAuthority, bearerToken: "K10deadbeef::server:wrong");

        using var allowed = await withToken.GetAsync("/api/v1/namespaces");
        using var refused = await wrongToken.GetAsync("/api/v1/namespaces");

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [SkippableTheory]
    [InlineData("/readyz?verbose", "readyz")]
    [InlineData("/livez?verbose", "livez")]
    [InlineData("/healthz?verbose", "healthz")]
    public async Task Anonymous_VerboseHealth_OneLinePerCheckThenTheEndpointsVerdict(string path, string endpoint)
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        using var anonymous = ApiHttp.Create(Cluster.Host.Url, Cluster.Host.Pki.CertificateAuthority);

        var text = await anonymous.GetStringAsync(path);

        Assert.Equal($"[+]ping ok\n[+]storage-ready ok\n{endpoint} check passed\n", text);
    }

    [SkippableFact]
    public async Task ServiceAccountToken_SignedByTheServer_AuthenticatesButIsNotAuthorizedYet()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var uid = await Cluster.EnsureServiceAccountAsync("default", "builder");
        var token = Cluster.Host.ServiceAccountTokens.Issue("default", "builder", uid, TimeSpan.FromMinutes(10));
        var expired = Cluster.Host.ServiceAccountTokens.Issue("default", "builder", uid, TimeSpan.FromMinutes(-10));
        var ofAnother = Cluster.Host.ServiceAccountTokens.Issue("default", "builder", Guid.NewGuid().ToString(), TimeSpan.FromMinutes(10));
        var ofNobody = Cluster.Host.ServiceAccountTokens.Issue("default", "nobody-" + Guid.NewGuid().ToString("N")[..8], uid, TimeSpan.FromMinutes(10));
        var tampered = token[..^4] + (token.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
        using var valid = ApiHttp.Create(Cluster.Host.Url, Cluster.Host.Pki.CertificateAuthority, bearerToken: token);
        using var old = ApiHttp.Create(Cluster.Host.Url, Cluster.Host.Pki.CertificateAuthority, bearerToken: expired);
        using var forged = ApiHttp.Create(Cluster.Host.Url, Cluster.Host.Pki.CertificateAuthority, bearerToken: tampered);
        using var otherUid = ApiHttp.Create(Cluster.Host.Url, Cluster.Host.Pki.CertificateAuthority, bearerToken: ofAnother);
        using var missing = ApiHttp.Create(Cluster.Host.Url, Cluster.Host.Pki.CertificateAuthority, bearerToken: ofNobody);

        using var forbidden = await valid.GetAsync("/api/v1/namespaces/default/pods");
        using var unauthorizedOld = await old.GetAsync("/api/v1/namespaces/default/pods");
        using var unauthorizedForged = await forged.GetAsync("/api/v1/namespaces/default/pods");
        using var unauthorizedOtherUid = await otherUid.GetAsync("/api/v1/namespaces/default/pods");
        using var unauthorizedMissing = await missing.GetAsync("/api/v1/namespaces/default/pods");
        var status = await ApiHttp.ReadObjectAsync(forbidden);

        // Authenticated as the service account; RBAC (a later milestone) will grant it rights. Until then: 403, worded as upstream.
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("pods is forbidden: User \"system:serviceaccount:default:builder\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"", status?["message"]?.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorizedOld.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorizedForged.StatusCode);
        // Signed here, but for an account that is not there (any more) or had another UID.
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorizedOtherUid.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorizedMissing.StatusCode);
    }

    [SkippableFact]
    public async Task Kubeconfig_WrittenOnStart_WorksWithNoOtherStep()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var version = (await Cluster.Kubectl.RunAsync("version", "-o", "json")).EnsureSuccess();

        Assert.Contains("\"gitVersion\": \"v1.32.0+timonel\"", version.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"serverVersion\"", version.Stdout, StringComparison.Ordinal);
    }
}

public sealed class AuthenticationTestsOnSqlite : AuthenticationTests<SqliteClusterFixture>
{
    public AuthenticationTestsOnSqlite(SqliteClusterFixture fixture)
        : base(fixture)
    {
    }
}
