using System.Text.Json.Nodes;
using Timonel.ApiServer.Endpoints;
using static Timonel.ApiServer.Tests.Admission.AdmissionHarness;

namespace Timonel.ApiServer.Tests.Admission;

/// <summary>The ServiceAccount plugin on new pods, as upstream's admission.go: the account, the token volume, pull secrets.</summary>
public sealed class ServiceAccountAdmissionTests : IAsyncLifetime
{
    private StoreHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _harness = await AdmissionHarness.StartAsync();
        await _harness.CreateAsync("serviceaccounts", "default", Named("default"));
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Create_PodNamingNoAccount_RunsAsDefaultWithTheTokenVolumeMounted()
    {
        var pod = await _harness.CreateAsync("pods", "default", Pod("web"));

        var volume = pod["spec"]!["volumes"]![0]!;
        var volumeName = volume["name"]!.GetValue<string>();
        Assert.Equal("\"default\"", JsonPath.Json(pod, "spec/serviceAccountName"));
        Assert.Matches("^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$", volumeName);
        Assert.Equal(
            """{"defaultMode":420,"sources":[{"serviceAccountToken":{"expirationSeconds":3607,"path":"token"}},{"configMap":{"items":[{"key":"ca.crt","path":"ca.crt"}],"name":"kube-root-ca.crt"}},{"downwardAPI":{"items":[{"fieldRef":{"apiVersion":"v1","fieldPath":"metadata.namespace"},"path":"namespace"}]}}]}""",
            volume["projected"]!.ToJsonString());
        Assert.Equal(
            $$"""[{"mountPath":"/var/run/secrets/kubernetes.io/serviceaccount","name":"{{volumeName}}","readOnly":true}]""",
            JsonPath.Json(pod, "spec/containers/0/volumeMounts"));
    }

    [Fact]
    public async Task Create_InitContainers_MountTheSameVolume()
    {
        var spec = new JsonObject { ["initContainers"] = new JsonArray(Container("init")), ["containers"] = new JsonArray(Container("c")) };

        var pod = await _harness.CreateAsync("pods", "default", Pod("web", spec));

        var volumeName = pod["spec"]!["volumes"]![0]!["name"]!.GetValue<string>();
        Assert.Equal(volumeName, pod["spec"]!["initContainers"]![0]!["volumeMounts"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(volumeName, pod["spec"]!["containers"]![0]!["volumeMounts"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_MissingServiceAccount_ForbiddenWithUpstreamsMessage()
    {
        var spec = new JsonObject { ["serviceAccountName"] = "robot", ["containers"] = new JsonArray(Container("c")) };

        var refused = await Assert.ThrowsAsync<StatusException>(() => _harness.CreateAsync("pods", "default", Pod("web", spec)));

        Assert.Equal(403, refused.Code);
        Assert.Equal("pods \"web\" is forbidden: error looking up service account default/robot: serviceaccount \"robot\" not found", refused.Message);
    }

    [Fact]
    public async Task Create_PodOptsOutOfAutomount_NoVolume()
    {
        var spec = new JsonObject { ["automountServiceAccountToken"] = false, ["containers"] = new JsonArray(Container("c")) };

        var pod = await _harness.CreateAsync("pods", "default", Pod("web", spec));

        Assert.Equal("missing", JsonPath.Json(pod, "spec/volumes"));
        Assert.Equal("missing", JsonPath.Json(pod, "spec/containers/0/volumeMounts"));
    }

    [Fact]
    public async Task Create_AccountOptsOutButPodOptsIn_PodWins()
    {
        var account = Named("quiet");
        account["automountServiceAccountToken"] = false;
        await _harness.CreateAsync("serviceaccounts", "default", account);
        var optedIn = new JsonObject { ["serviceAccountName"] = "quiet", ["automountServiceAccountToken"] = true, ["containers"] = new JsonArray(Container("c")) };
        var silent = new JsonObject { ["serviceAccountName"] = "quiet", ["containers"] = new JsonArray(Container("c")) };

        var mounted = await _harness.CreateAsync("pods", "default", Pod("in", optedIn));
        var unmounted = await _harness.CreateAsync("pods", "default", Pod("out", silent));

        Assert.NotEqual("missing", JsonPath.Json(mounted, "spec/volumes"));
        Assert.Equal("missing", JsonPath.Json(unmounted, "spec/volumes"));
    }

    [Fact]
    public async Task Create_ContainerMountsTheTokenPathItself_LeftAsItIs()
    {
        var container = Container("c");
        container["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "mine", ["mountPath"] = "/var/run/secrets/kubernetes.io/serviceaccount" });
        var spec = new JsonObject
        {
            ["containers"] = new JsonArray(container),
            ["volumes"] = new JsonArray(new JsonObject { ["name"] = "mine", ["emptyDir"] = new JsonObject() }),
        };

        var pod = await _harness.CreateAsync("pods", "default", Pod("web", spec));

        Assert.Equal("mine", Assert.Single(pod["spec"]!["volumes"]!.AsArray())!["name"]!.GetValue<string>());
        Assert.Equal("mine", Assert.Single(pod["spec"]!["containers"]![0]!["volumeMounts"]!.AsArray())!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_AccountHasImagePullSecrets_PodWithoutAnyGetsThem()
    {
        var account = Named("puller");
        account["imagePullSecrets"] = new JsonArray(new JsonObject { ["name"] = "registry" });
        await _harness.CreateAsync("serviceaccounts", "default", account);
        var spec = new JsonObject { ["serviceAccountName"] = "puller", ["containers"] = new JsonArray(Container("c")) };

        var pod = await _harness.CreateAsync("pods", "default", Pod("web", spec));

        Assert.Equal("""[{"name":"registry"}]""", JsonPath.Json(pod, "spec/imagePullSecrets"));
    }
}
