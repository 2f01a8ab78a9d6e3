using System.Net;
using System.Text.Json.Nodes;

namespace Timonel.IntegrationTests;

/// <summary><c>kubectl --as</c>: the admin acts as another user; anyone else is refused.</summary>
public abstract class ImpersonationTests<TFixture> : IClassFixture<TFixture>
    where TFixture : ClusterFixture
{
    private readonly TFixture _fixture;

    protected ImpersonationTests(TFixture fixture) => _fixture = fixture;

    private TestCluster Cluster => _fixture.Cluster;

    [SkippableTheory]
    [InlineData(new[] { "--as=jane" }, "jane", "", "system:authenticated")]
    [InlineData(new[] { "--as=jane", "--as-group=devs", "--as-group=ops", "--as-uid=u-1" }, "jane", "u-1", "devs ops system:authenticated")]
    [InlineData(new[] { "--as=system:serviceaccount:default:builder" }, "system:serviceaccount:default:builder", "", "system:serviceaccounts system:serviceaccounts:default system:authenticated")]
    public async Task Whoami_AdminAsAnother_TheImpersonatedUser(string[] flags, string username, string uid, string groups)
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);

        var result = (await Cluster.Kubectl.RunAsync(["auth", "whoami", .. flags])).EnsureSuccess();

        // kubectl prints a UID row only when the user has one.
        var expected = $"Username    {username}\n" + (uid.Length > 0 ? $"UID         {uid}\n" : "") + $"Groups      [{groups}]";
        Assert.Equal($"ATTRIBUTE   VALUE\n{expected}", result.Stdout.Trim());
    }

    [SkippableFact]
    public async Task GetPods_AdminAsJane_ForbiddenAsJaneWouldBe()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);

        var result = await Cluster.Kubectl.RunAsync("get", "pods", "-n", "default", "--as=jane");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            "Error from server (Forbidden): pods is forbidden: User \"jane\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"",
            result.Stderr.Trim());
    }

    [SkippableFact]
    public async Task CanI_AdminAsJane_NoAsJaneWouldHear()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);

        var pods = await Cluster.Kubectl.RunAsync("auth", "can-i", "get", "pods", "--as=jane");
        var own = await Cluster.Kubectl.RunAsync("auth", "can-i", "get", "pods");

        Assert.Equal((1, "no"), (pods.ExitCode, pods.Stdout.Trim()));
        Assert.Equal((0, "yes"), (own.ExitCode, own.Stdout.Trim()));
    }

    // A refused impersonation refuses discovery too, and kubectl words a refused discovery as "unknown" (so does
    // kube-apiserver's: client-go's discovery does not read the Status); get --raw shows the server's message.
    [SkippableFact]
    public async Task GetRaw_ServiceAccountAsJane_ForbiddenToImpersonate()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var (kubectl, _) = await Cluster.ServiceAccountKubectlAsync();

        var raw = await kubectl.RunAsync("get", "--raw", "/api/v1/namespaces/default/pods", "--as=jane");
        var asServiceAccount = await kubectl.RunAsync("get", "--raw", "/api/v1/namespaces/default/pods", "--as=system:serviceaccount:default:other");
        var whoami = await kubectl.RunAsync("auth", "whoami", "--as=jane");

        Assert.Equal(1, raw.ExitCode);
        Assert.Equal(
            "Error from server (Forbidden): users \"jane\" is forbidden: User \"system:serviceaccount:default:builder\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope",
            raw.Stderr.Trim());
        Assert.Equal(
            "Error from server (Forbidden): serviceaccounts \"other\" is forbidden: User \"system:serviceaccount:default:builder\" cannot impersonate resource \"serviceaccounts\" in API group \"\" in the namespace \"default\"",
            asServiceAccount.Stderr.Trim());
        Assert.Equal((1, "error: the selfsubjectreviews API is not enabled in the cluster or you do not have permission to call it"), (whoami.ExitCode, whoami.Stderr.Trim()));
    }

    [SkippableFact]
    public async Task SelfSubjectReview_AdminWithExtraHeader_KeyDecodedAndLowerCased()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        using var client = Cluster.CreateAdminHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/apis/authentication.k8s.io/v1/selfsubjectreviews")
        {
            Content = ApiHttp.Json("""{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}"""),
        };
        request.Headers.Add("Impersonate-User", "jane");
        request.Headers.Add("Impersonate-Extra-Example.com%2FScopes", "view");

        using var response = await client.SendAsync(request);
        var review = await ApiHttp.ReadObjectAsync(response);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("""{"username":"jane","groups":["system:authenticated"],"extra":{"example.com/scopes":["view"]}}""", review?["status"]?["userInfo"]?.ToJsonString());
    }

    // kubectl itself refuses --as-uid or --as-group without --as before sending ("requesting uid, groups or user-extra
    // for ... without impersonating a user"), so the server's answer is asked for with a raw request.
    [SkippableFact]
    public async Task AnyRequest_UidWithoutUser_BadRequestAsUpstreamWordsIt()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        using var client = Cluster.CreateAdminHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces");
        request.Headers.Add("Impersonate-Uid", "x");

        using var response = await client.SendAsync(request);
        var status = await ApiHttp.ReadObjectAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("requested [{UID  x  authentication.k8s.io/v1  }] without impersonating a user", status?["message"]?.GetValue<string>());
    }
}

public sealed class ImpersonationTestsOnSqlite : ImpersonationTests<SqliteClusterFixture>
{
    public ImpersonationTestsOnSqlite(SqliteClusterFixture fixture)
        : base(fixture)
    {
    }
}
