using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Timonel.IntegrationTests;

/// <summary>
/// The kinds kube-apiserver serves beyond the workloads (ReplicationController, PodTemplate, PodDisruptionBudget,
/// PriorityClass, RuntimeClass, HorizontalPodAutoscaler at v1 and v2, CertificateSigningRequest, the admission
/// registration kinds, APIService) driven with the real kubectl: created, listed with upstream's columns, and bad
/// input answered 422 with upstream's field path and message. Runs on SQLite only: none of this depends on the datastore.
/// </summary>
public sealed class ServedKindsTests : IClassFixture<SqliteClusterFixture>
{
    private const string ReplicationController = "apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: c\n        image: nginx\n";

    private readonly SqliteClusterFixture _fixture;

    public ServedKindsTests(SqliteClusterFixture fixture) => _fixture = fixture;

    private Kubectl Kubectl => _fixture.Cluster.Kubectl;

    [SkippableFact]
    public async Task ReplicationController_CreateGetScaleDelete_AsOnACluster()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await _fixture.Cluster.CreateNamespaceAsync();

        (await Kubectl.RunWithInputAsync(ReplicationController, "create", "-n", ns, "-f", "-")).EnsureSuccess();
        var wide = (await Kubectl.RunAsync("get", "rc", "web", "-n", ns, "-o", "wide")).EnsureSuccess();
        (await Kubectl.RunAsync("scale", "rc", "web", "-n", ns, "--replicas=4")).EnsureSuccess();
        var replicas = (await Kubectl.RunAsync("get", "replicationcontroller", "web", "-n", ns, "-o", "jsonpath={.spec.replicas} {.spec.selector.app} {.metadata.labels.app}")).EnsureSuccess();
        var describe = (await Kubectl.RunAsync("describe", "rc", "web", "-n", ns)).EnsureSuccess();
        (await Kubectl.RunAsync("delete", "rc", "web", "-n", ns)).EnsureSuccess();

        var lines = wide.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "DESIRED", "CURRENT", "READY", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        // CURRENT is the replication controller's count: 0 until it has created the pods, 2 once it has (none runs here).
        Assert.Matches(@"^web\s+2\s+[02]\s+0\s", lines[1]);
        Assert.EndsWith("c nginx app=web", string.Join(' ', lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.Equal("4 web web", replicas.Stdout);
        Assert.Contains("Selector:     app=web", describe.Stdout, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ReplicationController_SelectorMissingTheTemplate_Answers422()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await _fixture.Cluster.CreateNamespaceAsync();

        var result = await Kubectl.RunWithInputAsync(ReplicationController.Replace("  replicas: 2\n", "  selector:\n    app: other\n", StringComparison.Ordinal), "create", "-n", ns, "-f", "-");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("The ReplicationController \"web\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: selector does not match labels in spec.template", result.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task PodTemplate_CreateGet_ShowsContainersAndPodLabels()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await _fixture.Cluster.CreateNamespaceAsync();
        const string template = "apiVersion: v1\nkind: PodTemplate\nmetadata:\n  name: t\ntemplate:\n  metadata:\n    labels:\n      app: web\n  spec:\n    containers:\n    - name: c\n      image: nginx\n";

        (await Kubectl.RunWithInputAsync(template, "create", "-n", ns, "-f", "-")).EnsureSuccess();
        var result = (await Kubectl.RunAsync("get", "podtemplates", "-n", ns)).EnsureSuccess();

        Assert.Equal(["NAME CONTAINERS IMAGES POD LABELS", "t c nginx app=web"], Rows(result.Stdout));
    }

    [SkippableFact]
    public async Task PodDisruptionBudget_CreateGetAndBothBounds_As422()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await _fixture.Cluster.CreateNamespaceAsync();
        const string pdb = "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  minAvailable: 1\n  selector:\n    matchLabels:\n      app: web\n";

        (await Kubectl.RunWithInputAsync(pdb, "create", "-n", ns, "-f", "-")).EnsureSuccess();
        var get = (await Kubectl.RunAsync("get", "pdb", "-n", ns)).EnsureSuccess();
        var bad = await Kubectl.RunWithInputAsync(pdb.Replace("name: web", "name: bad", StringComparison.Ordinal) + "  maxUnavailable: 1\n", "create", "-n", ns, "-f", "-");

        Assert.Equal("NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE", Rows(get.Stdout)[0]);
        Assert.StartsWith("web 1 N/A 0 ", Rows(get.Stdout)[1], StringComparison.Ordinal);
        Assert.Contains("The PodDisruptionBudget \"bad\" is invalid: spec: Invalid value: policy.PodDisruptionBudgetSpec{", bad.Stderr, StringComparison.Ordinal);
        Assert.Contains("}: minAvailable and maxUnavailable cannot be both set", bad.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task PriorityClasses_SystemClassesExistAndSystemPrefixIsReserved()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);

        var get = (await Kubectl.RunAsync("get", "pc", "system-node-critical", "system-cluster-critical")).EnsureSuccess();
        var bad = await Kubectl.RunWithInputAsync("apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: system-mine\nvalue: 10\n", "create", "-f", "-");

        var rows = Rows(get.Stdout);
        Assert.Equal("NAME VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY", rows[0]);
        Assert.StartsWith("system-node-critical 2000001000 false ", rows[1], StringComparison.Ordinal);
        Assert.StartsWith("system-cluster-critical 2000000000 false ", rows[2], StringComparison.Ordinal);
        Assert.Contains("The PriorityClass \"system-mine\" is invalid: metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class", bad.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task RuntimeClass_CreateGetAndBadHandler_As422()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var name = await _fixture.Cluster.CreateNamespaceAsync("rc");

        (await Kubectl.RunWithInputAsync($"apiVersion: node.k8s.io/v1\nkind: RuntimeClass\nmetadata:\n  name: {name}\nhandler: runc\n", "create", "-f", "-")).EnsureSuccess();
        var get = (await Kubectl.RunAsync("get", "runtimeclass", name)).EnsureSuccess();
        var bad = await Kubectl.RunWithInputAsync($"apiVersion: node.k8s.io/v1\nkind: RuntimeClass\nmetadata:\n  name: {name}-bad\nhandler: Bad_Handler\n", "create", "-f", "-");

        Assert.Equal("NAME HANDLER AGE", Rows(get.Stdout)[0]);
        Assert.StartsWith($"{name} runc ", Rows(get.Stdout)[1], StringComparison.Ordinal);
        Assert.Contains($"The RuntimeClass \"{name}-bad\" is invalid: handler: Invalid value: \"Bad_Handler\": a lowercase RFC 1123 label must consist of", bad.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task HorizontalPodAutoscaler_CreatedAtV2_ReadsAtV1WithAnnotations()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await _fixture.Cluster.CreateNamespaceAsync();
        const string hpa = "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: web\n  maxReplicas: 5\n"
            + "  metrics:\n  - type: Resource\n    resource:\n      name: cpu\n      target:\n        type: Utilization\n        averageUtilization: 50\n  - type: Resource\n    resource:\n      name: memory\n      target:\n        type: AverageValue\n        averageValue: 100Mi\n";

        (await Kubectl.RunWithInputAsync(hpa, "create", "-n", ns, "-f", "-")).EnsureSuccess();
        var get = (await Kubectl.RunAsync("get", "hpa", "-n", ns)).EnsureSuccess();
        var v1 = (await Kubectl.RunAsync("get", "horizontalpodautoscalers.v1.autoscaling", "web", "-n", ns, "-o", "jsonpath={.spec.targetCPUUtilizationPercentage} {.metadata.annotations.autoscaling\\.alpha\\.kubernetes\\.io/metrics}")).EnsureSuccess();
        var bad = await Kubectl.RunWithInputAsync(hpa.Replace("name: web\nspec", "name: bad\nspec", StringComparison.Ordinal).Replace("maxReplicas: 5", "maxReplicas: 0", StringComparison.Ordinal), "create", "-n", ns, "-f", "-");

        Assert.Equal("NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE", Rows(get.Stdout)[0]);
        Assert.StartsWith("web Deployment/web cpu: <unknown>/50%, memory: <unknown>/100Mi 1 5 0 ", Rows(get.Stdout)[1], StringComparison.Ordinal);
        Assert.Equal("50 [{\"type\":\"Resource\",\"resource\":{\"name\":\"memory\",\"targetAverageValue\":\"100Mi\"}}]", v1.Stdout);
        // kubectl lists several causes one per line.
        Assert.Contains("The HorizontalPodAutoscaler \"bad\" is invalid: \n* spec.maxReplicas: Invalid value: 0: must be greater than 0\n* spec.maxReplicas: Invalid value: 0: must be greater than or equal to `minReplicas`", bad.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task CertificateSigningRequest_CreateGet_IsPending()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var name = await _fixture.Cluster.CreateNamespaceAsync("csr");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(new CertificateRequest("CN=alice", key, HashAlgorithmName.SHA256).CreateSigningRequestPem()));
        var csr = $"apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata:\n  name: {name}\nspec:\n  request: {request}\n  signerName: kubernetes.io/kube-apiserver-client\n  expirationSeconds: 86400\n  usages:\n  - client auth\n";

        (await Kubectl.RunWithInputAsync(csr, "create", "-f", "-")).EnsureSuccess();
        var get = (await Kubectl.RunAsync("get", "csr", name)).EnsureSuccess();
        var bad = await Kubectl.RunWithInputAsync(csr.Replace($"name: {name}", $"name: {name}-bad", StringComparison.Ordinal).Replace("  - client auth\n", "  - flying\n", StringComparison.Ordinal), "create", "-f", "-");

        Assert.Equal("NAME AGE SIGNERNAME REQUESTOR REQUESTEDDURATION CONDITION", Rows(get.Stdout)[0]);
        // The requestor is who created the CSR (the strategy's PrepareForCreate), the admin's certificate here.
        Assert.Matches($"^{name} \\S+ kubernetes.io/kube-apiserver-client system:admin 24h Pending$", Rows(get.Stdout)[1]);
        Assert.Contains($"The CertificateSigningRequest \"{name}-bad\" is invalid: spec.usages[0]: Unsupported value: \"flying\": supported values: \"any\",", bad.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task AdmissionRegistration_WebhooksAndPolicies_StoredWithDefaultsAndColumns()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var name = await _fixture.Cluster.CreateNamespaceAsync("adm");
        var webhook = $"apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nmetadata:\n  name: {name}\nwebhooks:\n- name: check.example.com\n  sideEffects: None\n  admissionReviewVersions: [v1]\n"
            + "  clientConfig:\n    url: https://hook.example.com/validate\n  rules:\n  - operations: [CREATE]\n    apiGroups: ['']\n    apiVersions: [v1]\n    resources: [pods]\n";
        var policy = $"apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\nmetadata:\n  name: {name}\nspec:\n  matchConstraints:\n    resourceRules:\n    - operations: [CREATE]\n      apiGroups: [apps]\n      apiVersions: [v1]\n      resources: [deployments]\n"
            + "  validations:\n  - expression: object.spec.replicas <= 5\n";
        var binding = $"apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\nmetadata:\n  name: {name}\nspec:\n  policyName: {name}\n  validationActions: [Deny]\n";

        (await Kubectl.RunWithInputAsync(webhook + "---\n" + policy + "---\n" + binding, "create", "-f", "-")).EnsureSuccess();
        var webhooks = (await Kubectl.RunAsync("get", "validatingwebhookconfigurations", name, "-o", "jsonpath={.webhooks[0].failurePolicy} {.webhooks[0].timeoutSeconds} {.webhooks[0].rules[0].scope}")).EnsureSuccess();
        var policies = (await Kubectl.RunAsync("get", "validatingadmissionpolicies", name)).EnsureSuccess();
        var bindings = (await Kubectl.RunAsync("get", "validatingadmissionpolicybindings", name)).EnsureSuccess();
        var bad = await Kubectl.RunWithInputAsync(webhook.Replace("check.example.com", "check", StringComparison.Ordinal).Replace($"name: {name}\n", $"name: {name}-bad\n", StringComparison.Ordinal), "create", "-f", "-");

        Assert.Equal("Fail 10 *", webhooks.Stdout);
        Assert.Equal("NAME VALIDATIONS PARAMKIND AGE", Rows(policies.Stdout)[0]);
        Assert.StartsWith($"{name} 1 <unset> ", Rows(policies.Stdout)[1], StringComparison.Ordinal);
        Assert.StartsWith($"{name} {name} <unset> ", Rows(bindings.Stdout)[1], StringComparison.Ordinal);
        Assert.Contains($"The ValidatingWebhookConfiguration \"{name}-bad\" is invalid: webhooks[0].name: Invalid value: \"check\": should be a domain with at least three segments separated by dots", bad.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task GetApiServices_EveryBuiltInGroupVersion_IsLocalAndAvailable()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);

        var result = (await Kubectl.RunAsync("get", "apiservices")).EnsureSuccess();
        var priorities = (await Kubectl.RunAsync("get", "apiservice", "v2.autoscaling", "-o", "jsonpath={.spec.groupPriorityMinimum} {.spec.versionPriority} {.status.conditions[0].message}")).EnsureSuccess();

        var rows = Rows(result.Stdout);
        Assert.Equal("NAME SERVICE AVAILABLE AGE", rows[0]);
        foreach (var name in new[] { "v1.", "v1.apps", "v1.autoscaling", "v2.autoscaling", "v1.policy", "v1.scheduling.k8s.io", "v1.apiregistration.k8s.io", "v1.admissionregistration.k8s.io" })
        {
            Assert.Contains(rows, r => r.StartsWith(name + " Local True ", StringComparison.Ordinal));
        }

        Assert.Equal("17500 30 Local APIServices are always available", priorities.Stdout);
    }

    [SkippableFact]
    public async Task ApiServices_CustomResourceGroupVersion_FollowsItsDefinition()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var group = await _fixture.Cluster.CreateNamespaceAsync("grp") + ".example.com";
        var crd = $"apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.{group}\nspec:\n  group: {group}\n  scope: Namespaced\n"
            + "  names:\n    plural: widgets\n    singular: widget\n    kind: Widget\n  versions:\n  - name: v1\n    served: true\n    storage: true\n"
            + "    schema:\n      openAPIV3Schema:\n        type: object\n        x-kubernetes-preserve-unknown-fields: true\n";

        (await Kubectl.RunWithInputAsync(crd, "create", "-f", "-")).EnsureSuccess();
        (await Kubectl.RunAsync("wait", "--for=create", $"apiservice/v1.{group}", "--timeout=20s")).EnsureSuccess();
        var created = (await Kubectl.RunAsync("get", "apiservice", $"v1.{group}", "-o", "jsonpath={.spec.groupPriorityMinimum} {.spec.versionPriority} {.metadata.labels.kube-aggregator\\.kubernetes\\.io/automanaged} {.status.conditions[0].reason}")).EnsureSuccess();
        (await Kubectl.RunAsync("delete", "crd", $"widgets.{group}")).EnsureSuccess();
        (await Kubectl.RunAsync("wait", "--for=delete", $"apiservice/v1.{group}", "--timeout=20s")).EnsureSuccess();

        // upstream's crdRegistrationController: group priority 1000, version priority 100.
        Assert.Equal("1000 100 true Local", created.Stdout);
    }

    [SkippableFact]
    public async Task ApiResources_NewKinds_AreListedWithUpstreamShortNames()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);

        var result = (await Kubectl.RunAsync("api-resources", "--no-headers")).EnsureSuccess();

        var rows = Rows(result.Stdout);
        Assert.Contains("replicationcontrollers rc v1 true ReplicationController", rows);
        Assert.Contains("podtemplates v1 true PodTemplate", rows);
        Assert.Contains("horizontalpodautoscalers hpa autoscaling/v2 true HorizontalPodAutoscaler", rows);
        Assert.Contains("poddisruptionbudgets pdb policy/v1 true PodDisruptionBudget", rows);
        Assert.Contains("priorityclasses pc scheduling.k8s.io/v1 false PriorityClass", rows);
        Assert.Contains("runtimeclasses node.k8s.io/v1 false RuntimeClass", rows);
        Assert.Contains("certificatesigningrequests csr certificates.k8s.io/v1 false CertificateSigningRequest", rows);
        Assert.Contains("mutatingwebhookconfigurations admissionregistration.k8s.io/v1 false MutatingWebhookConfiguration", rows);
        Assert.Contains("validatingadmissionpolicybindings admissionregistration.k8s.io/v1 false ValidatingAdmissionPolicyBinding", rows);
        Assert.Contains("apiservices apiregistration.k8s.io/v1 false APIService", rows);
    }

    /// <summary>The output's lines with runs of spaces folded to one, as a table reads.</summary>
    private static List<string> Rows(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries)))];
}
