namespace Timonel.IntegrationTests;

/// <summary>
/// PodSecurity admission as a user meets it through the real kubectl: namespace labels decide, enforce refuses with
/// upstream's message, warn prints kubectl's "Warning:" lines, labelling a namespace reports the pods already there.
/// </summary>
public sealed class PodSecurityTests : IClassFixture<SqliteClusterFixture>
{
    private const string RestrictedFailures =
        "allowPrivilegeEscalation != false (container \"nginx\" must set securityContext.allowPrivilegeEscalation=false), "
        + "unrestricted capabilities (container \"nginx\" must set securityContext.capabilities.drop=[\"ALL\"]), "
        + "runAsNonRoot != true (pod or container \"nginx\" must set securityContext.runAsNonRoot=true), "
        + "seccompProfile (pod or container \"nginx\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")";

    private readonly SqliteClusterFixture _fixture;

    public PodSecurityTests(SqliteClusterFixture fixture) => _fixture = fixture;

    private TestCluster Cluster => _fixture.Cluster;

    private Kubectl Kubectl => Cluster.Kubectl;

    [SkippableFact]
    public async Task ApplyPod_EnforceRestricted_RefusedWithUpstreamsMessage()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        (await Kubectl.RunAsync("label", "ns", ns, "pod-security.kubernetes.io/enforce=restricted")).EnsureSuccess();

        var refused = await Kubectl.RunAsync("apply", "-f", Examples.File("01-pod.yaml"), "-n", ns);
        var missing = await Kubectl.RunAsync("get", "pod", "nginx", "-n", ns);

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("Error from server (Forbidden): error when creating", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("pods \"nginx\" is forbidden: violates PodSecurity \"restricted:latest\": " + RestrictedFailures, refused.Stderr, StringComparison.Ordinal);
        Assert.NotEqual(0, missing.ExitCode);
    }

    [SkippableFact]
    public async Task ApplyPod_WarnRestricted_CreatedAndKubectlPrintsTheWarning()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        (await Kubectl.RunAsync("label", "ns", ns, "pod-security.kubernetes.io/warn=restricted")).EnsureSuccess();

        var created = (await Kubectl.RunAsync("apply", "-f", Examples.File("01-pod.yaml"), "-n", ns)).EnsureSuccess();

        Assert.Contains("pod/nginx created", created.Stdout, StringComparison.Ordinal);
        Assert.Contains("Warning: would violate PodSecurity \"restricted:latest\": " + RestrictedFailures, created.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task LabelNamespace_ExistingPodViolates_KubectlPrintsUpstreamsWarnings()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        (await Kubectl.RunAsync("apply", "-f", Examples.File("01-pod.yaml"), "-n", ns)).EnsureSuccess();

        var labelled = (await Kubectl.RunAsync("label", "ns", ns, "pod-security.kubernetes.io/enforce=restricted")).EnsureSuccess();

        Assert.Contains($"Warning: existing pods in namespace \"{ns}\" violate the new PodSecurity enforce level \"restricted:latest\"", labelled.Stderr, StringComparison.Ordinal);
        Assert.Contains("Warning: nginx: allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile", labelled.Stderr, StringComparison.Ordinal);
        Assert.Contains($"namespace/{ns} labeled", labelled.Stdout, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task LabelNamespace_UnknownLevel_Invalid()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();

        var refused = await Kubectl.RunAsync("label", "ns", ns, "pod-security.kubernetes.io/enforce=strict");

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains(
            $"The Namespace \"{ns}\" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: \"strict\": must be one of privileged, baseline, restricted",
            refused.Stderr,
            StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ApplyDeployment_EnforceRestricted_AdmittedWithWarningOnly()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        (await Kubectl.RunAsync("label", "ns", ns, "pod-security.kubernetes.io/enforce=restricted", "pod-security.kubernetes.io/warn=restricted")).EnsureSuccess();

        var created = (await Kubectl.RunAsync("apply", "-f", Examples.File("03-deployment.yaml"), "-n", ns)).EnsureSuccess();

        Assert.Contains("deployment.apps/nginx-deployment created", created.Stdout, StringComparison.Ordinal);
        Assert.Contains("Warning: would violate PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false", created.Stderr, StringComparison.Ordinal);
    }
}
