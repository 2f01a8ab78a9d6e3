using System.Text.Json.Nodes;

namespace Timonel.IntegrationTests;

/// <summary>
/// The admission plugins as kubectl sees them: the token volume ServiceAccount mounts, LimitRanger's defaults,
/// DefaultStorageClass, NamespaceLifecycle's refusals.
/// </summary>
public sealed class AdmissionPluginTests : IClassFixture<SqliteClusterFixture>
{
    private readonly SqliteClusterFixture _fixture;

    public AdmissionPluginTests(SqliteClusterFixture fixture) => _fixture = fixture;

    private TestCluster Cluster => _fixture.Cluster;

    private Kubectl Kubectl => Cluster.Kubectl;

    [SkippableFact]
    public async Task RunPod_ShowsTheKubeApiAccessVolumeAndItsMount()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();

        (await Kubectl.RunAsync("run", "web", "--image=nginx", "-n", ns)).EnsureSuccess();
        var pod = JsonNode.Parse((await Kubectl.RunAsync("get", "pod", "web", "-n", ns, "-o", "json")).EnsureSuccess().Stdout)!;

        var volume = pod["spec"]!["volumes"]![0]!;
        var name = volume["name"]!.GetValue<string>();
        Assert.StartsWith("kube-api-access-", name, StringComparison.Ordinal);
        Assert.Equal(3607, volume["projected"]!["sources"]![0]!["serviceAccountToken"]!["expirationSeconds"]!.GetValue<long>());
        Assert.Equal(
            $$"""[{"mountPath":"/var/run/secrets/kubernetes.io/serviceaccount","name":"{{name}}","readOnly":true}]""",
            pod["spec"]!["containers"]![0]!["volumeMounts"]!.ToJsonString());
        Assert.Equal("default", pod["spec"]!["serviceAccountName"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task RunPod_ServiceAccountMissing_ForbiddenWithUpstreamsMessage()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();

        var result = await Kubectl.RunAsync("run", "web", "--image=nginx", "-n", ns, "--overrides={\"spec\":{\"serviceAccountName\":\"robot\"}}");

        Assert.Equal($"Error from server (Forbidden): pods \"web\" is forbidden: error looking up service account {ns}/robot: serviceaccount \"robot\" not found", result.Stderr.Trim());
    }

    [SkippableFact]
    public async Task LimitRange_NewPod_GetsItsDefaultRequestsAndLimits()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        (await Kubectl.RunWithInputAsync("""
            apiVersion: v1
            kind: LimitRange
            metadata:
              name: defaults
            spec:
              limits:
              - type: Container
                default:
                  cpu: 500m
                defaultRequest:
                  cpu: 100m
            """, "create", "-n", ns, "-f", "-")).EnsureSuccess();

        (await Kubectl.RunAsync("run", "web", "--image=nginx", "-n", ns)).EnsureSuccess();
        var pod = JsonNode.Parse((await Kubectl.RunAsync("get", "pod", "web", "-n", ns, "-o", "json")).EnsureSuccess().Stdout)!;

        Assert.Equal("""{"limits":{"cpu":"500m"},"requests":{"cpu":"100m"}}""", pod["spec"]!["containers"]![0]!["resources"]!.ToJsonString());
        Assert.Equal("LimitRanger plugin set: cpu request for container web; cpu limit for container web", pod["metadata"]!["annotations"]!["kubernetes.io/limit-ranger"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task LimitRange_PodBelowTheMinimum_ForbiddenWithUpstreamsMessage()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        (await Kubectl.RunWithInputAsync("""
            apiVersion: v1
            kind: LimitRange
            metadata:
              name: floor
            spec:
              limits:
              - type: Container
                min:
                  cpu: 100m
            """, "create", "-n", ns, "-f", "-")).EnsureSuccess();

        var result = await Kubectl.RunAsync("run", "web", "--image=nginx", "-n", ns, "--overrides={\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"nginx\",\"resources\":{\"requests\":{\"cpu\":\"50m\"}}}]}}");

        Assert.Equal("Error from server (Forbidden): pods \"web\" is forbidden: minimum cpu usage per Container is 100m, but request is 50m", result.Stderr.Trim());
    }

    [SkippableFact]
    public async Task CreateClaim_WithoutAClass_GetsTheDefaultStorageClass()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        var className = "default-" + ns;
        (await Kubectl.RunWithInputAsync($"""
            apiVersion: storage.k8s.io/v1
            kind: StorageClass
            metadata:
              name: {className}
              annotations:
                storageclass.kubernetes.io/is-default-class: "true"
            provisioner: rancher.io/local-path
            """, "create", "-f", "-")).EnsureSuccess();
        try
        {
            (await Kubectl.RunWithInputAsync("""
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata:
                  name: data
                spec:
                  accessModes: [ReadWriteOnce]
                  resources:
                    requests:
                      storage: 1Gi
                """, "create", "-n", ns, "-f", "-")).EnsureSuccess();

            var storageClass = (await Kubectl.RunAsync("get", "pvc", "data", "-n", ns, "-o", "jsonpath={.spec.storageClassName}")).EnsureSuccess().Stdout;

            Assert.Equal(className, storageClass);
        }
        finally
        {
            // Cluster-scoped: other tests on this cluster must not find a second default class.
            await Kubectl.RunAsync("delete", "storageclass", className);
        }
    }

    [SkippableFact]
    public async Task CreateInMissingNamespace_NotFound()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);

        var result = await Kubectl.RunAsync("create", "configmap", "c", "-n", "nowhere-" + Guid.NewGuid().ToString("N")[..8]);

        Assert.Matches("^error: failed to create configmap: namespaces \"nowhere-[0-9a-f]{8}\" not found$", result.Stderr.Trim());
    }
}
