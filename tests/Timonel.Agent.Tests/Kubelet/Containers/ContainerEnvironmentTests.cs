using k8s.Models;
using Timonel.Agent.Kubelet.Containers;
using Timonel.Agent.Kubelet.Containers.Environment;

using Timonel.Testing.Kubelet;

namespace Timonel.Agent.Tests.Kubelet.Containers;

public class ContainerEnvironmentTests
{
    private readonly FakePodObjects _objects = new();

    private static readonly Dictionary<string, ResourceQuantity> _allocatable = new()
    {
        ["cpu"] = new ResourceQuantity("4"),
        ["memory"] = new ResourceQuantity("8Gi"),
    };

    [Fact]
    public async Task Build_Values_ExpandEarlierVariables()
    {
        var container = ConfigTestPods.Container();
        container.Env =
        [
            new V1EnvVar { Name = "LATER_REF", Value = "$(GREETING)" },
            new V1EnvVar { Name = "GREETING", Value = "hola" },
            new V1EnvVar { Name = "MESSAGE", Value = "$(GREETING) $(NAME), $$(GREETING)" },
            new V1EnvVar { Name = "NAME", Value = "pelado" },
        ];

        var env = await BuildAsync(container);

        Assert.Equal("$(GREETING)", env["LATER_REF"]);
        Assert.Equal("hola $(NAME), $(GREETING)", env["MESSAGE"]);
    }

    [Theory]
    [InlineData("metadata.name", "web")]
    [InlineData("metadata.namespace", "shop")]
    [InlineData("metadata.uid", "1f0c2b8e-uid")]
    [InlineData("metadata.labels['app']", "web")]
    [InlineData("metadata.labels['absent']", "")]
    [InlineData("metadata.annotations['team']", "blue")]
    [InlineData("metadata.labels", "app=\"web\"")]
    [InlineData("spec.nodeName", "node-1")]
    [InlineData("spec.serviceAccountName", "default")]
    [InlineData("status.hostIP", "192.168.1.10")]
    [InlineData("status.hostIPs", "192.168.1.10")]
    [InlineData("status.podIP", "10.42.0.5")]
    [InlineData("status.podIPs", "10.42.0.5")]
    public async Task Build_FieldRef_DownwardApiValue(string fieldPath, string expected)
    {
        var container = ConfigTestPods.Container();
        container.Env = [new V1EnvVar { Name = "FIELD", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = fieldPath } } }];

        Assert.Equal(expected, (await BuildAsync(container))["FIELD"]);
    }

    [Fact]
    public async Task Build_UnsupportedFieldRef_Throws()
    {
        var container = ConfigTestPods.Container();
        container.Env = [new V1EnvVar { Name = "FIELD", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "spec.hostname" } } }];

        var error = await Assert.ThrowsAsync<ContainerConfigException>(() => BuildAsync(container));

        Assert.Equal("unsupported fieldPath: spec.hostname", error.Message);
    }

    [Theory]
    [InlineData("limits.cpu", null, "1")]
    [InlineData("limits.cpu", "1m", "500")]
    [InlineData("requests.cpu", "1m", "250")]
    [InlineData("requests.cpu", null, "1")]
    [InlineData("limits.memory", "1Mi", "64")]
    [InlineData("requests.memory", null, "33554432")]
    public async Task Build_ResourceFieldRef_DividedRoundedUp(string resource, string? divisor, string expected)
    {
        var container = ConfigTestPods.Container();
        container.Resources = ConfigTestPods.Resources(cpuRequest: "250m", memoryRequest: "32Mi", cpuLimit: "500m", memoryLimit: "64Mi");
        container.Env = [ResourceVar(resource, divisor)];

        Assert.Equal(expected, (await BuildAsync(container))["RESOURCE"]);
    }

    [Fact]
    public async Task Build_UnsetLimits_NodeAllocatable()
    {
        var container = ConfigTestPods.Container();
        container.Env = [ResourceVar("limits.cpu", null), ResourceVar("limits.memory", "1Gi", "MEMORY")];

        var env = await BuildAsync(container);

        Assert.Equal("4", env["RESOURCE"]);
        Assert.Equal("8", env["MEMORY"]);
    }

    [Fact]
    public async Task Build_ConfigMapAndSecretKeys_Values()
    {
        _objects.WithConfigMap("shop", "settings", new() { ["lives"] = "3" }).WithSecret("shop", "db", new() { ["user"] = "admin" });
        var container = ConfigTestPods.Container();
        container.Env =
        [
            new V1EnvVar { Name = "LIVES", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "settings", Key = "lives" } } },
            new V1EnvVar { Name = "USER", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "db", Key = "user" } } },
        ];

        var env = await BuildAsync(container);

        Assert.Equal("3", env["LIVES"]);
        Assert.Equal("admin", env["USER"]);
    }

    [Fact]
    public async Task Build_OptionalMissingSources_VariableLeftOut()
    {
        _objects.WithConfigMap("shop", "settings", new() { ["lives"] = "3" });
        var container = ConfigTestPods.Container();
        container.Env =
        [
            new V1EnvVar { Name = "NO_MAP", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "absent", Key = "k", Optional = true } } },
            new V1EnvVar { Name = "NO_KEY", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "settings", Key = "k", Optional = true } } },
            new V1EnvVar { Name = "NO_SECRET", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "absent", Key = "k", Optional = true } } },
        ];
        container.EnvFrom = [new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "absent", Optional = true } }];

        var env = await BuildAsync(container);

        Assert.DoesNotContain("NO_MAP", env.Keys);
        Assert.DoesNotContain("NO_KEY", env.Keys);
        Assert.DoesNotContain("NO_SECRET", env.Keys);
    }

    [Theory]
    [InlineData("configMap", "absent", "k", "configmap \"absent\" not found")]
    [InlineData("configMap", "settings", "k", "couldn't find key k in ConfigMap shop/settings")]
    [InlineData("secret", "absent", "k", "secret \"absent\" not found")]
    [InlineData("secret", "db", "k", "couldn't find key k in Secret shop/db")]
    public async Task Build_RequiredMissingSource_UpstreamMessage(string kind, string name, string key, string message)
    {
        _objects.WithConfigMap("shop", "settings", new() { ["lives"] = "3" }).WithSecret("shop", "db", new() { ["user"] = "admin" });
        var container = ConfigTestPods.Container();
        container.Env =
        [
            new V1EnvVar
            {
                Name = "VALUE",
                ValueFrom = kind == "configMap"
                    ? new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = name, Key = key } }
                    : new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = name, Key = key } },
            },
        ];

        var error = await Assert.ThrowsAsync<ContainerConfigException>(() => BuildAsync(container));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task Build_EnvFrom_ValidKeysPrefixedEnvOverrides()
    {
        _objects.WithConfigMap("shop", "settings", new() { ["lives"] = "3", ["level"] = "1", ["bad key"] = "x" })
            .WithSecret("shop", "db", new() { ["password"] = "s3cret" });
        var container = ConfigTestPods.Container();
        container.EnvFrom =
        [
            new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = "settings" }, Prefix = "GAME_" },
            new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "db" } },
        ];
        container.Env = [new V1EnvVar { Name = "GAME_level", Value = "9" }];

        var env = await BuildAsync(container);

        Assert.Equal("3", env["GAME_lives"]);
        Assert.Equal("9", env["GAME_level"]);
        Assert.Equal("s3cret", env["password"]);
        Assert.DoesNotContain("GAME_bad key", env.Keys);
    }

    [Fact]
    public async Task Build_RequiredEnvFromMissing_Throws()
    {
        var container = ConfigTestPods.Container();
        container.EnvFrom = [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = "absent" } }];

        var error = await Assert.ThrowsAsync<ContainerConfigException>(() => BuildAsync(container));

        Assert.Equal("configmap \"absent\" not found", error.Message);
    }

    [Fact]
    public async Task Build_ServiceLinks_AfterDeclaredAndReferenceable()
    {
        _objects.WithService("shop", "redis-primary", "10.43.0.20", new V1ServicePort { Port = 6379 })
            .WithService("default", "kubernetes", "10.43.0.1", new V1ServicePort { Name = "https", Port = 443 });
        var container = ConfigTestPods.Container();
        container.Env = [new V1EnvVar { Name = "REDIS", Value = "$(REDIS_PRIMARY_SERVICE_HOST):$(REDIS_PRIMARY_SERVICE_PORT)" }];

        var env = await BuildListAsync(ConfigTestPods.Pod(container), container);

        Assert.Equal("REDIS", env[0].Key);
        Assert.Equal("10.43.0.20:6379", env[0].Value);
        Assert.Contains(new KeyValuePair<string, string>("KUBERNETES_SERVICE_HOST", "10.43.0.1"), env);
        Assert.Contains(new KeyValuePair<string, string>("REDIS_PRIMARY_PORT", "tcp://10.43.0.20:6379"), env);
    }

    [Fact]
    public async Task Build_ServiceLinksDisabled_OnlyMasterService()
    {
        _objects.WithService("shop", "redis", "10.43.0.20", new V1ServicePort { Port = 6379 })
            .WithService("default", "kubernetes", "10.43.0.1", new V1ServicePort { Name = "https", Port = 443 })
            .WithService("default", "other", "10.43.0.30", new V1ServicePort { Port = 80 });
        var container = ConfigTestPods.Container();
        var pod = ConfigTestPods.Pod(container);
        pod.Spec.EnableServiceLinks = false;

        var names = (await BuildListAsync(pod, container)).Select(pair => pair.Key).ToList();

        Assert.Contains("KUBERNETES_SERVICE_HOST", names);
        Assert.DoesNotContain(names, name => name.StartsWith("REDIS_", StringComparison.Ordinal) || name.StartsWith("OTHER_", StringComparison.Ordinal));
    }

    private static V1EnvVar ResourceVar(string resource, string? divisor, string name = "RESOURCE") => new()
    {
        Name = name,
        ValueFrom = new V1EnvVarSource
        {
            ResourceFieldRef = new V1ResourceFieldSelector { Resource = resource, Divisor = divisor is null ? null : new ResourceQuantity(divisor) },
        },
    };

    private async Task<Dictionary<string, string>> BuildAsync(V1Container container) =>
        (await BuildListAsync(ConfigTestPods.Pod(container), container)).ToDictionary();

    private Task<IReadOnlyList<KeyValuePair<string, string>>> BuildListAsync(V1Pod pod, V1Container container) =>
        new ContainerEnvironment(_objects, _allocatable).BuildAsync(pod, container, ConfigTestPods.Context("/unused"), CancellationToken.None);
}
