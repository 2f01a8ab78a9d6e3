using System.Text.Json.Nodes;
using Timonel.ApiServer.OpenApi;

namespace Timonel.OpenApi.Tests;

public sealed class OpenApiServiceTests
{
    private static JsonObject V3(string path) => JsonNode.Parse(Served.Service.V3GroupVersion(path)!)!.AsObject();

    private static JsonObject Schemas(string path) => V3(path)["components"]!["schemas"]!.AsObject();

    [Fact]
    public void V3Index_ListsEveryServedGroupVersionWithItsHash()
    {
        var index = JsonNode.Parse(Served.Service.V3Index())!["paths"]!.AsObject();

        Assert.Equal(Served.Service.GroupVersionPaths.Order(), index.Select(p => p.Key).Order());
        Assert.Contains("apis/apps/v1", index.Select(p => p.Key));
        var url = index["api/v1"]!["serverRelativeURL"]!.GetValue<string>();
        Assert.Equal($"/openapi/v3/api/v1?hash={Served.Service.V3GroupVersionDocument("api/v1")!.Hash}", url);
    }

    [Theory]
    [InlineData("api/v1", "io.k8s.api.core.v1.Pod", "", "v1", "Pod")]
    [InlineData("api/v1", "io.k8s.api.core.v1.PodList", "", "v1", "PodList")]
    [InlineData("api/v1", "io.k8s.api.core.v1.Event", "", "v1", "Event")]
    [InlineData("apis/apps/v1", "io.k8s.api.apps.v1.Deployment", "apps", "v1", "Deployment")]
    [InlineData("apis/apps/v1", "io.k8s.api.autoscaling.v1.Scale", "autoscaling", "v1", "Scale")]
    [InlineData("apis/events.k8s.io/v1", "io.k8s.api.events.v1.Event", "events.k8s.io", "v1", "Event")]
    [InlineData("apis/networking.k8s.io/v1", "io.k8s.api.networking.v1.Ingress", "networking.k8s.io", "v1", "Ingress")]
    [InlineData("apis/apiextensions.k8s.io/v1", "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition", "apiextensions.k8s.io", "v1", "CustomResourceDefinition")]
    public void V3GroupVersion_KindSchema_CarriesGroupVersionKind(string path, string schema, string group, string version, string kind)
    {
        var gvk = Schemas(path)[schema]!["x-kubernetes-group-version-kind"]!.AsArray().Single()!;

        Assert.Equal(group, gvk["group"]!.GetValue<string>());
        Assert.Equal(version, gvk["version"]!.GetValue<string>());
        Assert.Equal(kind, gvk["kind"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("api/v1", "io.k8s.api.core.v1.Container")]
    [InlineData("api/v1", "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")]
    [InlineData("api/v1", "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector")]
    [InlineData("apis/apps/v1", "io.k8s.api.apps.v1.DeploymentSpec")]
    [InlineData("apis/apps/v1", "io.k8s.api.core.v1.PodTemplateSpec")]
    [InlineData("apis/networking.k8s.io/v1", "io.k8s.api.networking.v1.IngressBackend")]
    [InlineData("apis/networking.k8s.io/v1", "io.k8s.api.core.v1.TypedLocalObjectReference")]
    [InlineData("apis/discovery.k8s.io/v1", "io.k8s.api.discovery.v1.EndpointPort")]
    [InlineData("apis/rbac.authorization.k8s.io/v1", "io.k8s.api.rbac.v1.Subject")]
    [InlineData("apis/batch/v1", "io.k8s.api.batch.v1.JobTemplateSpec")]
    public void V3GroupVersion_NestedTypes_AreNamedAfterTheirUpstreamPackage(string path, string schema) =>
        Assert.True(Schemas(path).ContainsKey(schema), $"{schema} missing from {path}");

    [Fact]
    public void V3GroupVersion_Container_HasDescribedImageAndRequiredPortNumber()
    {
        var schemas = Schemas("api/v1");
        var container = schemas["io.k8s.api.core.v1.Container"]!;
        var port = schemas["io.k8s.api.core.v1.ContainerPort"]!;

        Assert.Equal("string", container["properties"]!["image"]!["type"]!.GetValue<string>());
        Assert.Contains("Container image name", container["properties"]!["image"]!["description"]!.GetValue<string>());
        Assert.Contains("containerPort", port["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("int32", port["properties"]!["containerPort"]!["format"]!.GetValue<string>());
    }

    [Fact]
    public void V3GroupVersion_References_AreWrappedInAllOfAndResolvable()
    {
        var schemas = Schemas("api/v1");
        var containers = schemas["io.k8s.api.core.v1.PodSpec"]!["properties"]!["containers"]!;
        var metadata = schemas["io.k8s.api.core.v1.Pod"]!["properties"]!["metadata"]!;

        Assert.Equal("array", containers["type"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/io.k8s.api.core.v1.Container", containers["items"]!["allOf"]![0]!["$ref"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", metadata["allOf"]![0]!["$ref"]!.GetValue<string>());
        foreach (var reference in References(V3("api/v1")))
        {
            Assert.True(schemas.ContainsKey(reference["#/components/schemas/".Length..]), $"dangling {reference}");
        }
    }

    [Theory]
    [InlineData("io.k8s.api.core.v1.Container", "ports", "array")]
    [InlineData("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "labels", "object")]
    [InlineData("io.k8s.api.core.v1.ResourceRequirements", "limits", "object")]
    [InlineData("io.k8s.api.core.v1.PodSpec", "terminationGracePeriodSeconds", "integer")]
    [InlineData("io.k8s.api.core.v1.Container", "stdin", "boolean")]
    public void V3GroupVersion_PropertyTypes_MapFromClrTypes(string schema, string property, string type) =>
        Assert.Equal(type, Schemas("api/v1")[schema]!["properties"]![property]!["type"]!.GetValue<string>());

    [Fact]
    public void V3GroupVersion_IntOrStringAndQuantity_AreUpstreamDefinitions()
    {
        var schemas = Schemas("api/v1");

        Assert.Equal("int-or-string", schemas["io.k8s.apimachinery.pkg.util.intstr.IntOrString"]!["format"]!.GetValue<string>());
        Assert.Equal(["string", "number"], schemas["io.k8s.apimachinery.pkg.api.resource.Quantity"]!["oneOf"]!.AsArray().Select(t => t!["type"]!.GetValue<string>()));
        Assert.Equal("#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString",
            schemas["io.k8s.api.core.v1.ServicePort"]!["properties"]!["targetPort"]!["allOf"]![0]!["$ref"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("api/v1", "/api/v1/namespaces/{namespace}/pods/{name}", "Pod")]
    [InlineData("api/v1", "/api/v1/namespaces/{namespace}/pods/{name}/status", "Pod")]
    [InlineData("api/v1", "/api/v1/nodes/{name}", "Node")]
    [InlineData("apis/apps/v1", "/apis/apps/v1/namespaces/{namespace}/deployments/{name}", "Deployment")]
    [InlineData("apis/apps/v1", "/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale", "Scale")]
    public void V3GroupVersion_PatchOperation_OffersFieldValidation(string path, string route, string kind)
    {
        var patch = V3(path)["paths"]![route]!["patch"]!;
        var names = patch["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToList();

        Assert.Equal(kind, patch["x-kubernetes-group-version-kind"]!["kind"]!.GetValue<string>());
        Assert.Equal("patch", patch["x-kubernetes-action"]!.GetValue<string>());
        Assert.Contains("fieldValidation", names);
        Assert.Contains("dryRun", names);
        Assert.Contains("fieldManager", names);
        Assert.True(patch["requestBody"]!["content"]!.AsObject().ContainsKey("application/apply-patch+yaml"));
    }

    [Fact]
    public void V3GroupVersion_Pods_HaveEveryVerbAndWatchPaths()
    {
        var paths = V3("api/v1")["paths"]!.AsObject();
        string Action(string route, string method) => paths[route]![method]!["x-kubernetes-action"]!.GetValue<string>();

        Assert.Equal("list", Action("/api/v1/namespaces/{namespace}/pods", "get"));
        Assert.Equal("post", Action("/api/v1/namespaces/{namespace}/pods", "post"));
        Assert.Equal("deletecollection", Action("/api/v1/namespaces/{namespace}/pods", "delete"));
        Assert.Equal("get", Action("/api/v1/namespaces/{namespace}/pods/{name}", "get"));
        Assert.Equal("put", Action("/api/v1/namespaces/{namespace}/pods/{name}", "put"));
        Assert.Equal("delete", Action("/api/v1/namespaces/{namespace}/pods/{name}", "delete"));
        Assert.Equal("list", Action("/api/v1/pods", "get"));
        Assert.Equal("watchlist", Action("/api/v1/watch/namespaces/{namespace}/pods", "get"));
        Assert.Equal("watch", Action("/api/v1/watch/namespaces/{namespace}/pods/{name}", "get"));
        Assert.Equal("listCoreV1NamespacedPod", paths["/api/v1/namespaces/{namespace}/pods"]!["get"]!["operationId"]!.GetValue<string>());
    }

    [Fact]
    public void V3GroupVersion_UnknownPath_IsNull() => Assert.Null(Served.Service.V3GroupVersion("apis/nope/v1"));

    [Fact]
    public void V2Json_IsSwaggerWithDefinitionsAndPaths()
    {
        var doc = JsonNode.Parse(Served.Service.V2Json())!.AsObject();
        var definitions = doc["definitions"]!.AsObject();
        var patch = doc["paths"]!["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]!["patch"]!;

        Assert.Equal("2.0", doc["swagger"]!.GetValue<string>());
        Assert.Equal("#/definitions/io.k8s.api.core.v1.PodSpec", definitions["io.k8s.api.core.v1.Pod"]!["properties"]!["spec"]!["$ref"]!.GetValue<string>());
        Assert.True(definitions.ContainsKey("io.k8s.api.rbac.v1.ClusterRoleBinding"));
        Assert.Contains("fieldValidation", patch["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        foreach (var reference in References(doc))
        {
            Assert.True(definitions.ContainsKey(reference["#/definitions/".Length..]), $"dangling {reference}");
        }
    }

    [Fact]
    public void Documents_HashIsTheSha512OfTheServedJson()
    {
        var documents = Served.Service.GroupVersionPaths.Select(p => Served.Service.V3GroupVersionDocument(p)!)
            .Append(Served.Service.V2Document()).Append(Served.Service.V3IndexDocument());

        foreach (var document in documents)
        {
            var json = document.ReadJson();
            Assert.Equal(document.Length, json.Length);
            Assert.Equal(document.Hash, Convert.ToHexString(System.Security.Cryptography.SHA512.HashData(json)));
        }
    }

    private static IEnumerable<string> References(JsonNode? node) => node switch
    {
        // JSONSchemaProps has a property named "$ref" itself, so only string values are references.
        JsonObject obj => obj.SelectMany(p => p.Key == "$ref" && p.Value is JsonValue value ? [value.GetValue<string>()] : References(p.Value)),
        JsonArray array => array.SelectMany(References),
        _ => [],
    };
}
