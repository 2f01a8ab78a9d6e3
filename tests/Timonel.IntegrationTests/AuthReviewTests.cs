using System.Text.Json.Nodes;

namespace Timonel.IntegrationTests;

/// <summary><c>kubectl auth whoami</c> and <c>kubectl auth can-i</c> over the review APIs, for the admin and for a plain user.</summary>
public abstract class AuthReviewTests<TFixture> : IClassFixture<TFixture>
    where TFixture : ClusterFixture
{
    private readonly TFixture _fixture;

    protected AuthReviewTests(TFixture fixture) => _fixture = fixture;

    private TestCluster Cluster => _fixture.Cluster;

    [SkippableFact]
    public async Task Whoami_Admin_UsernameAndGroupsOfTheClientCertificate()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);

        var result = (await Cluster.Kubectl.RunAsync("auth", "whoami")).EnsureSuccess();

        Assert.Matches(@"(?m)^ATTRIBUTE\s+VALUE$", result.Stdout);
        Assert.Matches(@"(?m)^Username\s+\S+$", result.Stdout);
        Assert.Matches(@"(?m)^Groups\s+\[system:masters system:authenticated\]$", result.Stdout);
    }

    [SkippableFact]
    public async Task WhoamiYaml_Admin_SelfSubjectReviewWithUserInfo()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);

        var result = (await Cluster.Kubectl.RunAsync("auth", "whoami", "-o", "json")).EnsureSuccess();
        var yaml = (await Cluster.Kubectl.RunAsync("auth", "whoami", "-o", "yaml")).EnsureSuccess();
        var review = JsonNode.Parse(result.Stdout)!;

        Assert.Equal("authentication.k8s.io/v1", review["apiVersion"]!.GetValue<string>());
        Assert.Equal("SelfSubjectReview", review["kind"]!.GetValue<string>());
        Assert.NotNull(review["metadata"]!["creationTimestamp"]);
        Assert.Equal("""["system:masters","system:authenticated"]""", review["status"]!["userInfo"]!["groups"]!.ToJsonString());
        Assert.Contains("kind: SelfSubjectReview", yaml.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^    username: \S+$", yaml.Stdout);
    }

    [SkippableFact]
    public async Task Whoami_ServiceAccountToken_TheServiceAccountWithItsUid()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var (kubectl, uid) = await Cluster.ServiceAccountKubectlAsync();

        var result = (await kubectl.RunAsync("auth", "whoami", "-o", "json")).EnsureSuccess();
        var user = JsonNode.Parse(result.Stdout)!["status"]!["userInfo"]!;

        Assert.Equal("system:serviceaccount:default:builder", user["username"]!.GetValue<string>());
        Assert.Equal(uid, user["uid"]!.GetValue<string>());
        Assert.Equal("""["system:serviceaccounts","system:serviceaccounts:default","system:authenticated"]""", user["groups"]!.ToJsonString());
    }

    [SkippableFact]
    public async Task CanI_Admin_Yes()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);

        var create = await Cluster.Kubectl.RunAsync("auth", "can-i", "create", "pods");
        var deleteNodes = await Cluster.Kubectl.RunAsync("auth", "can-i", "delete", "nodes", "--all-namespaces");

        Assert.Equal((0, "yes"), (create.ExitCode, create.Stdout.Trim()));
        Assert.Equal((0, "yes"), (deleteNodes.ExitCode, deleteNodes.Stdout.Trim()));
    }

    [SkippableFact]
    public async Task CanI_ServiceAccountWithoutRoles_NoButMayAskAboutItself()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var (kubectl, _) = await Cluster.ServiceAccountKubectlAsync();

        var pods = await kubectl.RunAsync("auth", "can-i", "create", "pods");
        var review = await kubectl.RunAsync("auth", "can-i", "create", "selfsubjectaccessreviews.authorization.k8s.io");

        // kubectl exits 1 for "no" (pkg/cmd/auth/cani.go); discovery works for any authenticated user (system:discovery).
        Assert.Equal((1, "no"), (pods.ExitCode, pods.Stdout.Trim()));
        Assert.DoesNotContain("Warning", pods.Stderr, StringComparison.Ordinal);
        Assert.Equal((0, "yes"), (review.ExitCode, review.Stdout.Trim()));
    }

    [SkippableFact]
    public async Task CanIList_Admin_AllResourcesAndAllUrls()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);

        var result = (await Cluster.Kubectl.RunAsync("auth", "can-i", "--list")).EnsureSuccess();

        Assert.Matches(@"(?m)^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs$", result.Stdout);
        Assert.Matches(@"(?m)^\*\.\*\s+\[\]\s+\[\]\s+\[\*\]$", result.Stdout);
        Assert.Matches(@"(?m)^\s+\[\*\]\s+\[\]\s+\[\*\]$", result.Stdout);
    }

    [SkippableFact]
    public async Task CanIList_ServiceAccount_OnlyTheDefaultPolicy()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);

        var (kubectl, _) = await Cluster.ServiceAccountKubectlAsync();

        var result = (await kubectl.RunAsync("auth", "can-i", "--list")).EnsureSuccess();

        Assert.Matches(@"(?m)^selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]$", result.Stdout);
        Assert.Matches(@"(?m)^selfsubjectreviews\.authentication\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]$", result.Stdout);
        Assert.Matches(@"(?m)^\s+\[/apis/\*\]\s+\[\]\s+\[get\]$", result.Stdout);
        Assert.DoesNotContain("*.*", result.Stdout, StringComparison.Ordinal);
    }

    // Default validation throughout: kubectl validates a kind without a PATCH operation (every review) on the client,
    // against /openapi/v2 in protobuf (k8s.io/kubectl/pkg/validation), before it sends anything.
    [SkippableTheory]
    // The server's 422, naming no kind and no object: kubectl words it from the causes, as it does for kube-apiserver's.
    [InlineData("", "The request is invalid: spec.resourceAttributes: Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified")]
    // kubectl's own validation against the schema, before sending.
    [InlineData(
        "  bogus: 1\n  resourceAttributes:\n    verb: get\n    resource: pods\n",
        "error: error validating \"STDIN\": error validating data: ValidationError(SubjectAccessReview.spec): unknown field \"bogus\" in " +
        "io.k8s.api.authorization.v1.SubjectAccessReviewSpec; if you choose to ignore these errors, turn validation off with --validate=false")]
    public async Task CreateSubjectAccessReview_Invalid_RefusedAsUpstream(string spec, string message)
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var review = "apiVersion: authorization.k8s.io/v1\nkind: SubjectAccessReview\nspec:\n  user: jane\n" + spec;

        var result = await Cluster.Kubectl.RunWithInputAsync(review, "create", "-f", "-");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(message, result.Stderr.Trim());
    }

    [SkippableTheory]
    [InlineData("secrets", "kube-system")]
    [InlineData("pods", "default")]
    public async Task CreateSubjectAccessReview_AsJsonAndYaml_StatusFilledInNothingStored(string resource, string ns)
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var review = $"apiVersion: authorization.k8s.io/v1\nkind: SubjectAccessReview\nspec:\n  user: jane\n  resourceAttributes:\n    verb: get\n    resource: {resource}\n    namespace: {ns}\n";

        var json = (await Cluster.Kubectl.RunWithInputAsync(review, "create", "-f", "-", "-o", "json")).EnsureSuccess();
        var yaml = (await Cluster.Kubectl.RunWithInputAsync(review, "create", "-f", "-", "-o", "yaml")).EnsureSuccess();
        var list = await Cluster.Kubectl.RunAsync("get", "subjectaccessreviews");

        Assert.Equal("""{"allowed":false}""", JsonNode.Parse(json.Stdout)!["status"]!.ToJsonString());
        Assert.Contains("\nstatus:\n  allowed: false\n", yaml.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, list.ExitCode);
        Assert.Contains("(MethodNotAllowed): the server does not allow this method on the requested resource", list.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Discovery_Reviews_CreateOnlyWithoutStorageVersion()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);

        var raw = (await Cluster.Kubectl.RunAsync("get", "--raw", "/apis/authorization.k8s.io/v1")).EnsureSuccess();
        var resources = JsonNode.Parse(raw.Stdout)!["resources"]!.AsArray();

        Assert.Equal(
            ["localsubjectaccessreviews", "selfsubjectaccessreviews", "selfsubjectrulesreviews", "subjectaccessreviews"],
            resources.Select(r => r!["name"]!.GetValue<string>()));
        Assert.All(resources, r => Assert.Equal("""["create"]""", r!["verbs"]!.ToJsonString()));
        Assert.All(resources, r => Assert.Null(r!["storageVersionHash"]));
        Assert.True(resources[0]!["namespaced"]!.GetValue<bool>());
    }
}

public sealed class AuthReviewTestsOnSqlite : AuthReviewTests<SqliteClusterFixture>
{
    public AuthReviewTestsOnSqlite(SqliteClusterFixture fixture)
        : base(fixture)
    {
    }
}
