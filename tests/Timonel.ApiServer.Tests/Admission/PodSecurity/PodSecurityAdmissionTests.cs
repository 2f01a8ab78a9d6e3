using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Timonel.ApiServer.Admission;
using Timonel.ApiServer.Admission.PodSecurity;
using Timonel.ApiServer.Auth;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Tests.Admission.PodSecurity;

/// <summary>The PodSecurity plugin through the store: namespace labels, enforce, warn, audit, controllers.</summary>
public sealed class PodSecurityAdmissionTests : IAsyncLifetime
{
    private StoreHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _harness = await StoreHarness.StartAsync();
        var services = new AdmissionServices(_harness.Registry, new SystemMastersAuthorizer(), TimeProvider.System);
        _harness.Registry.Admission = new AdmissionChain([new PodSecurityAdmission(services)]);
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task CreatePod_EnforceRestricted_RefusedWithUpstreamsMessage()
    {
        await NamespaceAsync("x", ("pod-security.kubernetes.io/enforce", "restricted"));

        var refused = await Assert.ThrowsAsync<StatusException>(() => CreateAsync("x", Nginx()));

        Assert.Equal(403, refused.Code);
        Assert.Equal("Forbidden", refused.Reason);
        Assert.Equal(
            "pods \"nginx\" is forbidden: violates PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false (container \"nginx\" must set securityContext.allowPrivilegeEscalation=false), "
            + "unrestricted capabilities (container \"nginx\" must set securityContext.capabilities.drop=[\"ALL\"]), runAsNonRoot != true (pod or container \"nginx\" must set securityContext.runAsNonRoot=true), "
            + "seccompProfile (pod or container \"nginx\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")",
            refused.Message);
    }

    [Fact]
    public async Task CreatePod_EnforceBaselinePinnedVersion_MessageNamesVersion()
    {
        await NamespaceAsync("x", ("pod-security.kubernetes.io/enforce", "baseline"), ("pod-security.kubernetes.io/enforce-version", "v1.30"));
        var pod = Nginx();
        pod["spec"]!["hostNetwork"] = true;

        var refused = await Assert.ThrowsAsync<StatusException>(() => CreateAsync("x", pod));

        // With hostNetwork the pod's defaults set each hostPort to its containerPort, so both checks fail, as upstream's.
        Assert.Equal("pods \"nginx\" is forbidden: violates PodSecurity \"baseline:v1.30\": host namespaces (hostNetwork=true), hostPort (container \"nginx\" uses hostPort 80)", refused.Message);
    }

    [Fact]
    public async Task CreatePod_WarnRestricted_CreatedWithWarningAndAuditAnnotation()
    {
        await NamespaceAsync("x", ("pod-security.kubernetes.io/warn", "restricted"), ("pod-security.kubernetes.io/audit", "baseline"), ("pod-security.kubernetes.io/enforce", "baseline"));
        var context = new DefaultHttpContext();

        using (RequestRecorder.Begin(context))
        {
            await CreateAsync("x", Nginx());
        }

        var warning = Assert.Single(context.Response.Headers["Warning"]);
        Assert.StartsWith("299 - \"would violate PodSecurity \\\"restricted:latest\\\": allowPrivilegeEscalation != false (container \\\"nginx\\\" must set", warning);
        Assert.Equal("baseline:latest", RequestRecorder.AuditAnnotations(context)[PodSecurityAdmission.EnforcePolicyAnnotation]);
        Assert.False(RequestRecorder.AuditAnnotations(context).ContainsKey(PodSecurityAdmission.AuditViolationsAnnotation));
        await _harness.Store("", "pods").GetAsync("x", "nginx", CancellationToken.None);
    }

    [Fact]
    public async Task CreatePod_AuditRestricted_AnnotatesTheRequest()
    {
        await NamespaceAsync("x", ("pod-security.kubernetes.io/audit", "restricted"));
        var context = new DefaultHttpContext();

        using (RequestRecorder.Begin(context))
        {
            await CreateAsync("x", Nginx());
        }

        Assert.StartsWith("would violate PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false", RequestRecorder.AuditAnnotations(context)[PodSecurityAdmission.AuditViolationsAnnotation]);
        Assert.Equal(0, context.Response.Headers["Warning"].Count);
    }

    [Fact]
    public async Task CreatePod_UnlabelledNamespace_Admitted()
    {
        await NamespaceAsync("x");
        var pod = Nginx();
        pod["spec"]!["hostNetwork"] = true;

        var created = await CreateAsync("x", pod);

        Assert.Equal("nginx", created.StringAt("metadata", "name"));
    }

    [Fact]
    public async Task CreateDeployment_EnforceRestricted_AdmittedWithWarningOnly()
    {
        await NamespaceAsync("x", ("pod-security.kubernetes.io/enforce", "restricted"), ("pod-security.kubernetes.io/warn", "restricted"));
        var context = new DefaultHttpContext();
        var deployment = JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
             "spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},
             "spec":{"containers":[{"name":"nginx","image":"nginx"}]}}}}
            """)!.AsObject();

        using (RequestRecorder.Begin(context))
        {
            await _harness.Store("apps", "deployments").CreateAsync("x", deployment, dryRun: false, CancellationToken.None);
        }

        Assert.Contains("would violate PodSecurity \\\"restricted:latest\\\"", Assert.Single(context.Response.Headers["Warning"]));
    }

    [Fact]
    public async Task CreateNamespace_InvalidLevel_Invalid()
    {
        var refused = await Assert.ThrowsAsync<StatusException>(() => NamespaceAsync("x", ("pod-security.kubernetes.io/enforce", "strict")));

        Assert.Equal(422, refused.Code);
        Assert.Equal("Namespace \"x\" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: \"strict\": must be one of privileged, baseline, restricted", refused.Message);
    }

    [Fact]
    public async Task LabelNamespace_StricterEnforce_WarnsAboutExistingPods()
    {
        await NamespaceAsync("x");
        await CreateAsync("x", Nginx("b"));
        await CreateAsync("x", Nginx("a"));
        var context = new DefaultHttpContext();

        using (RequestRecorder.Begin(context))
        {
            await _harness.Store("", "namespaces").GuaranteedUpdateAsync(null, "x", ns =>
            {
                ns["metadata"]!["labels"] = new JsonObject { ["pod-security.kubernetes.io/enforce"] = "restricted" };
                return ns;
            }, _harness.Registry.Get("", "namespaces").Definition.Strategy, dryRun: false, CancellationToken.None);
        }

        Assert.Equal(
            [
                "299 - \"existing pods in namespace \\\"x\\\" violate the new PodSecurity enforce level \\\"restricted:latest\\\"\"",
                "299 - \"a (and 1 other pod): allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile\"",
            ],
            context.Response.Headers["Warning"].Select(w => w ?? "").ToArray());
    }

    [Fact]
    public async Task UpdatePod_LabelsOnly_NotEvaluated()
    {
        await NamespaceAsync("x");
        await CreateAsync("x", Nginx());
        await _harness.Store("", "namespaces").GuaranteedUpdateAsync(null, "x", ns =>
        {
            ns["metadata"]!["labels"] = new JsonObject { ["pod-security.kubernetes.io/enforce"] = "restricted" };
            return ns;
        }, _harness.Registry.Get("", "namespaces").Definition.Strategy, dryRun: false, CancellationToken.None);
        var pods = _harness.Store("", "pods");

        await pods.GuaranteedUpdateAsync("x", "nginx", pod =>
        {
            pod["metadata"]!["labels"] = new JsonObject { ["tier"] = "web" };
            return pod;
        }, pods.Definition.Strategy, dryRun: false, CancellationToken.None);
        var refused = await Assert.ThrowsAsync<StatusException>(() => pods.GuaranteedUpdateAsync("x", "nginx", pod =>
        {
            pod["spec"]!["containers"]![0]!["image"] = "nginx:2";
            return pod;
        }, pods.Definition.Strategy, dryRun: false, CancellationToken.None));

        Assert.StartsWith("pods \"nginx\" is forbidden: violates PodSecurity", refused.Message);
    }

    private async Task NamespaceAsync(string name, params (string Key, string Value)[] labels)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (labels.Length > 0)
        {
            metadata["labels"] = new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value)));
        }

        await _harness.Store("", "namespaces").CreateAsync(null, new JsonObject { ["metadata"] = metadata }, dryRun: false, CancellationToken.None);
    }

    private Task<JsonObject> CreateAsync(string ns, JsonObject pod) => _harness.Store("", "pods").CreateAsync(ns, pod, dryRun: false, CancellationToken.None);

    private static JsonObject Nginx(string name = "nginx") => JsonNode.Parse($$$"""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}"},"spec":{"containers":[{"name":"nginx","image":"nginx:1.14.2","ports":[{"containerPort":80}]}]}}
        """)!.AsObject();
}
