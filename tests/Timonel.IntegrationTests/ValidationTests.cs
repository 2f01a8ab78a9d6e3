namespace Timonel.IntegrationTests;

/// <summary>
/// Invalid objects sent with the real kubectl come back as 422 Invalid with upstream's message. Validation does
/// not depend on the datastore, so this runs on SQLite only.
/// </summary>
public sealed class ValidationTests : IClassFixture<SqliteClusterFixture>
{
    private readonly SqliteClusterFixture _fixture;

    public ValidationTests(SqliteClusterFixture fixture) => _fixture = fixture;

    private Kubectl Kubectl => _fixture.Cluster.Kubectl;

    [SkippableFact]
    public async Task Apply_PodWithDuplicateContainerNames_AnswersDuplicateValue()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await _fixture.Cluster.CreateNamespaceAsync();
        const string pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: c\n    image: nginx\n  - name: c\n    image: busybox\n";

        var result = await Kubectl.RunWithInputAsync(pod, "apply", "-n", ns, "-f", "-");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("The Pod \"x\" is invalid: spec.containers[1].name: Duplicate value: \"c\"", result.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Apply_DeploymentWhoseSelectorMissesTheTemplate_AnswersSelectorMismatch()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await _fixture.Cluster.CreateNamespaceAsync();
        const string deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n"
            + "  template:\n    metadata:\n      labels:\n        app: other\n    spec:\n      containers:\n      - name: c\n        image: nginx\n";

        var result = await Kubectl.RunWithInputAsync(deployment, "apply", "-n", ns, "-f", "-");

        Assert.NotEqual(0, result.ExitCode);
        // template.Labels printed as Kubernetes 1.32 prints a Go map: %#v.
        Assert.Contains("The Deployment \"web\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not match template `labels`", result.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Patch_PodRestartPolicy_IsForbiddenAsUpstream()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await _fixture.Cluster.CreateNamespaceAsync();
        (await Kubectl.RunAsync("create", "-n", ns, "-f", Examples.File("01-pod.yaml"))).EnsureSuccess();

        var result = await Kubectl.RunAsync("patch", "pod", "nginx", "-n", ns, "--type=merge", "-p", "{\"spec\":{\"restartPolicy\":\"Never\"}}");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("The Pod \"nginx\" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`", result.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Apply_RoleBindingWithAnotherRoleRef_CannotChangeRoleRef()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await _fixture.Cluster.CreateNamespaceAsync();
        const string binding = "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: b\n"
            + "roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: {0}\nsubjects:\n- kind: User\n  name: alice\n";
        (await Kubectl.RunWithInputAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, binding, "view"), "apply", "-n", ns, "-f", "-")).EnsureSuccess();

        var result = await Kubectl.RunWithInputAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, binding, "edit"), "apply", "-n", ns, "-f", "-");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("The RoleBinding \"b\" is invalid: roleRef: Invalid value: ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(": cannot change roleRef", result.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Apply_NodeWithUnknownTaintEffect_AnswersUnsupportedValueUnderMetadata()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        // Nodes are cluster-scoped; a fresh namespace's name keeps this node's name unique in the shared cluster.
        var name = await _fixture.Cluster.CreateNamespaceAsync();
        var node = $"apiVersion: v1\nkind: Node\nmetadata:\n  name: {name}\nspec:\n  taints:\n  - key: dedicated\n    effect: Sometimes\n";

        var result = await Kubectl.RunWithInputAsync(node, "apply", "-f", "-");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"The Node \"{name}\" is invalid: metadata.taints[0].effect: Unsupported value: \"Sometimes\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"", result.Stderr, StringComparison.Ordinal);
    }
}
