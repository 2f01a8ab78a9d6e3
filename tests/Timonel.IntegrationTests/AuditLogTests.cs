using System.Text.Json.Nodes;
using Timonel.ApiServer.Audit;
using Timonel.Storage;

namespace Timonel.IntegrationTests;

/// <summary>
/// A server started with --audit-policy-file and --audit-log-path: kubectl's requests land in the log as upstream's
/// audit.k8s.io/v1 events, at the level the policy gives them.
/// </summary>
public sealed class AuditLogTests : IAsyncLifetime
{
    private const string Policy = """
        apiVersion: audit.k8s.io/v1
        kind: Policy
        omitStages: ["RequestReceived"]
        rules:
        - level: RequestResponse
          verbs: ["create"]
          resources:
          - group: ""
            resources: ["configmaps"]
        - level: None
          users: ["system:admin"]
          verbs: ["watch", "update", "patch", "get"]
        - level: Metadata
        """;

    private TestCluster? _cluster;
    private string _log = "";

    private TestCluster Cluster => _cluster!;

    public async Task InitializeAsync()
    {
        if (!Kubectl.IsInstalled)
        {
            return;
        }

        _cluster = await TestCluster.StartAsync(dir => StorageBackendFactory.CreateAsync(null, dir), options =>
        {
            var policy = Path.Combine(options.DataDir, "audit-policy.yaml");
            File.WriteAllText(policy, Policy);
            _log = Path.Combine(options.DataDir, "audit", "audit.log");
            return options with { Audit = new AuditLogOptions { PolicyFile = policy, Path = _log } };
        });
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task KubectlGetPods_MetadataRule_LogsWhoListedWhatWithoutBodies()
    {
        Skip.If(_cluster is null, Kubectl.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync("audit");

        (await Cluster.Kubectl.RunAsync("get", "pods", "-n", ns)).EnsureSuccess();

        var ev = await EventAsync(e => (string?)e["verb"] == "list" && (string?)e["objectRef"]?["resource"] == "pods" && (string?)e["objectRef"]?["namespace"] == ns);
        Assert.Equal("Event", (string?)ev["kind"]);
        Assert.Equal("audit.k8s.io/v1", (string?)ev["apiVersion"]);
        Assert.Equal("Metadata", (string?)ev["level"]);
        Assert.Equal("ResponseComplete", (string?)ev["stage"]);
        Assert.Equal($"/api/v1/namespaces/{ns}/pods?limit=500", (string?)ev["requestURI"]);
        Assert.Equal("system:admin", (string?)ev["user"]!["username"]);
        Assert.Contains("system:masters", ev["user"]!["groups"]!.AsArray().Select(g => (string?)g));
        Assert.Equal(["127.0.0.1"], ev["sourceIPs"]!.AsArray().Select(ip => (string?)ip));
        Assert.StartsWith("kubectl/v1.32", (string?)ev["userAgent"], StringComparison.Ordinal);
        Assert.Equal("""{"resource":"pods","namespace":"NS","apiVersion":"v1"}""".Replace("NS", ns, StringComparison.Ordinal), ev["objectRef"]!.ToJsonString());
        Assert.Equal("""{"metadata":{},"code":200}""", ev["responseStatus"]!.ToJsonString());
        Assert.Null(ev["requestObject"]);
        Assert.Null(ev["responseObject"]);
        Assert.Equal("allow", (string?)ev["annotations"]!["authorization.k8s.io/decision"]);
        Assert.True(Guid.TryParse((string?)ev["auditID"], out _));
    }

    [SkippableFact]
    public async Task KubectlCreateConfigMap_RequestResponseRule_LogsTheObjectSentAndTheObjectStored()
    {
        Skip.If(_cluster is null, Kubectl.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync("audit");

        (await Cluster.Kubectl.RunAsync("create", "configmap", "audited", "--from-literal=colour=teal", "-n", ns)).EnsureSuccess();
        var uid = (await Cluster.Kubectl.RunAsync("get", "configmap", "audited", "-n", ns, "-o", "jsonpath={.metadata.uid}")).EnsureSuccess().Stdout;

        var ev = await EventAsync(e => (string?)e["verb"] == "create" && (string?)e["objectRef"]?["namespace"] == ns && (string?)e["objectRef"]?["name"] == "audited");
        Assert.Equal("RequestResponse", (string?)ev["level"]);
        Assert.Equal("audited", (string?)ev["objectRef"]!["name"]);
        Assert.Equal(201, (int?)ev["responseStatus"]!["code"]);
        Assert.Equal("teal", (string?)ev["requestObject"]!["data"]!["colour"]);
        Assert.Equal("ConfigMap", (string?)ev["requestObject"]!["kind"]);
        Assert.Equal(uid, (string?)ev["responseObject"]!["metadata"]!["uid"]);
        Assert.Equal("teal", (string?)ev["responseObject"]!["data"]!["colour"]);
    }

    [SkippableFact]
    public async Task Request_AnyAnswer_CarriesTheAuditIdOfItsEvent()
    {
        Skip.If(_cluster is null, Kubectl.SkipReason);
        using var http = Cluster.CreateAdminHttpClient();

        using var response = await http.GetAsync("/api/v1/namespaces/missing-audit-ns/configmaps/nothing");

        var id = Assert.Single(response.Headers.GetValues("Audit-Id"));
        // The admin's gets are level None: an unlogged request still gets its ID; a logged one's event shares it.
        using var listed = await http.GetAsync("/api/v1/namespaces/missing-audit-ns/secrets");
        var listedId = Assert.Single(listed.Headers.GetValues("Audit-Id"));
        var ev = await EventAsync(e => (string?)e["auditID"] == listedId);
        Assert.NotEqual(id, listedId);
        Assert.Equal("list", (string?)ev["verb"]);
    }

    [SkippableFact]
    public async Task Request_Forbidden_LogsTheDecisionAndTheStatus()
    {
        Skip.If(_cluster is null, Kubectl.SkipReason);
        var (kubectl, _) = await Cluster.ServiceAccountKubectlAsync();

        var denied = await kubectl.RunAsync("get", "secrets", "-n", "kube-system");

        Assert.NotEqual(0, denied.ExitCode);
        var ev = await EventAsync(e => (string?)e["user"]?["username"] == "system:serviceaccount:default:builder" && (string?)e["objectRef"]?["resource"] == "secrets");
        Assert.Equal("forbid", (string?)ev["annotations"]!["authorization.k8s.io/decision"]);
        Assert.Equal(403, (int?)ev["responseStatus"]!["code"]);
        Assert.Equal("Forbidden", (string?)ev["responseStatus"]!["reason"]);
        Assert.Equal("Failure", (string?)ev["responseStatus"]!["status"]);
        Assert.Contains("cannot list resource \"secrets\"", (string?)ev["responseStatus"]!["message"], StringComparison.Ordinal);
    }

    /// <summary>
    /// The first event matching <paramref name="match"/>: the log is written off the request path, so it is read
    /// again until the event is there (the answer kubectl saw comes before the line).
    /// </summary>
    [SkippableFact]
    public async Task CreatePod_NamespaceAuditsRestricted_EventCarriesThePodSecurityViolations()
    {
        Skip.If(_cluster is null, Kubectl.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync("audit-psa");
        (await Cluster.Kubectl.RunAsync("label", "namespace", ns, "pod-security.kubernetes.io/audit=restricted")).EnsureSuccess();

        (await Cluster.Kubectl.RunAsync("run", "loose", "--image=nginx", "-n", ns)).EnsureSuccess();

        var ev = await EventAsync(e => (string?)e["verb"] == "create" && (string?)e["objectRef"]?["resource"] == "pods" && (string?)e["objectRef"]?["namespace"] == ns);
        Assert.StartsWith("would violate PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false", (string?)ev["annotations"]!["pod-security.kubernetes.io/audit-violations"]);
    }

    private async Task<JsonObject> EventAsync(Func<JsonObject, bool> match)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (File.Exists(_log))
            {
                string text;
                using (var reader = new StreamReader(new FileStream(_log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite)))
                {
                    text = await reader.ReadToEndAsync();
                }

                var found = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).FirstOrDefault(match);
                if (found is not null)
                {
                    return found;
                }
            }

            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException($"no such event in {_log}");
    }
}
