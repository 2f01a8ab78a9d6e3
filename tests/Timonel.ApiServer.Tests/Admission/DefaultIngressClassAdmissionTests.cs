using System.Text.Json.Nodes;
using static Timonel.ApiServer.Tests.Admission.AdmissionHarness;

namespace Timonel.ApiServer.Tests.Admission;

/// <summary>DefaultIngressClass: a new Ingress naming no class gets the default IngressClass's name.</summary>
public sealed class DefaultIngressClassAdmissionTests : IAsyncLifetime
{
    private StoreHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await AdmissionHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Create_IngressWithoutClass_GetsTheDefaultClass()
    {
        await IngressClassAsync("plain", isDefault: false);
        await IngressClassAsync("timonel", isDefault: true);

        var ingress = await CreateIngressAsync(Ingress("web"));

        Assert.Equal("\"timonel\"", JsonPath.Json(ingress, "spec/ingressClassName"));
    }

    [Fact]
    public async Task Create_TwoDefaults_TheNewest()
    {
        // Named so that the first by name is the older one: only the creation time can pick the newer.
        await IngressClassAsync("a-older", isDefault: true);
        await Task.Delay(TimeSpan.FromSeconds(1.1)); // creationTimestamp counts whole seconds
        await IngressClassAsync("b-newer", isDefault: true);

        var ingress = await CreateIngressAsync(Ingress("web"));

        Assert.Equal("\"b-newer\"", JsonPath.Json(ingress, "spec/ingressClassName"));
    }

    [Fact]
    public async Task Create_TwoDefaultsOfTheSameSecond_TheFirstByName()
    {
        await IngressClassAsync("b-default", isDefault: true);
        await IngressClassAsync("a-default", isDefault: true);

        var ingress = await CreateIngressAsync(Ingress("web"));

        Assert.Equal("\"a-default\"", JsonPath.Json(ingress, "spec/ingressClassName"));
    }

    [Fact]
    public async Task Create_ClassNamedBySpecOrAnnotation_Kept()
    {
        await IngressClassAsync("timonel", isDefault: true);
        var bySpec = Ingress("by-spec");
        bySpec["spec"]!["ingressClassName"] = "nginx";
        var byAnnotation = Ingress("by-annotation");
        byAnnotation["metadata"]!["annotations"] = new JsonObject { ["kubernetes.io/ingress.class"] = "nginx" };

        var fromSpec = await CreateIngressAsync(bySpec);
        var fromAnnotation = await CreateIngressAsync(byAnnotation);

        Assert.Equal("\"nginx\"", JsonPath.Json(fromSpec, "spec/ingressClassName"));
        Assert.Equal("missing", JsonPath.Json(fromAnnotation, "spec/ingressClassName"));
    }

    [Fact]
    public async Task Create_NoDefaultClass_IngressLeftWithoutOne()
    {
        await IngressClassAsync("plain", isDefault: false);
        await IngressClassAsync("maybe", isDefault: false, annotation: "false");

        var ingress = await CreateIngressAsync(Ingress("web"));

        Assert.Equal("missing", JsonPath.Json(ingress, "spec/ingressClassName"));
    }

    private static JsonObject Ingress(string name)
    {
        var ingress = Named(name);
        ingress["spec"] = new JsonObject
        {
            ["defaultBackend"] = new JsonObject { ["service"] = new JsonObject { ["name"] = "web", ["port"] = new JsonObject { ["number"] = 80 } } },
        };
        return ingress;
    }

    private Task<JsonObject> CreateIngressAsync(JsonObject ingress) => _harness.CreateAsync("ingresses", "default", ingress, "networking.k8s.io");

    private Task<JsonObject> IngressClassAsync(string name, bool isDefault, string? annotation = null)
    {
        var ingressClass = Named(name);
        if (isDefault || annotation is not null)
        {
            ingressClass["metadata"]!["annotations"] = new JsonObject { ["ingressclass.kubernetes.io/is-default-class"] = annotation ?? "true" };
        }

        ingressClass["spec"] = new JsonObject { ["controller"] = "example.com/" + name };
        return _harness.CreateAsync("ingressclasses", null, ingressClass, "networking.k8s.io");
    }
}
