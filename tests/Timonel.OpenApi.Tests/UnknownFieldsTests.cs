using System.Text.Json.Nodes;
using Timonel.ApiServer.OpenApi;

namespace Timonel.OpenApi.Tests;

public sealed class UnknownFieldsTests
{
    public static TheoryData<string> Examples() =>
        [.. Directory.GetFiles(RepoPaths.Examples, "*.yaml", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/bad/", StringComparison.Ordinal) && Path.GetFileName(f) != "kustomization.yaml")
            .Select(f => Path.GetRelativePath(RepoPaths.Examples, f))];

    [Theory]
    [MemberData(nameof(Examples))]
    public void UnknownFields_Examples_AreAllKnown(string file)
    {
        var documents = YamlToJson.Documents(Path.Combine(RepoPaths.Examples, file)).ToList();
        Assert.NotEmpty(documents);

        foreach (var obj in documents)
        {
            var kind = obj["kind"]!.GetValue<string>();
            Assert.Empty(Served.Service.UnknownFields(obj["apiVersion"]!.GetValue<string>(), kind, obj));
        }
    }

    [Theory]
    [InlineData("v1", "Pod", """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"a","image":"x"},{"name":"b","imagee":"y"}]}}""", "spec.containers[1].imagee")]
    [InlineData("v1", "Pod", """{"metadata":{"name":"p","labelz":{"a":"b"}}}""", "metadata.labelz")]
    [InlineData("v1", "Pod", """{"spec":{"containers":[{"name":"a","resources":{"limits":{"cpu":"1"}},"ports":[{"containerPort":80,"hostPortt":1}]}]}}""", "spec.containers[0].ports[0].hostPortt")]
    [InlineData("apps/v1", "Deployment", """{"spec":{"replicas":1,"template":{"spec":{"containers":[{"name":"a","livenessProbe":{"httpGet":{"port":8080,"paht":"/"}}}]}}}}""", "spec.template.spec.containers[0].livenessProbe.httpGet.paht")]
    [InlineData("v1", "Service", """{"spec":{"ports":[{"port":80,"targetPort":"http"}],"typo":1}}""", "spec.typo")]
    [InlineData("v1", "ConfigMap", """{"data":{"any-key":"v"},"dta":{}}""", "dta")]
    [InlineData("networking.k8s.io/v1", "Ingress", """{"spec":{"rules":[{"http":{"paths":[{"backend":{"service":{"name":"s","port":{"numbr":80}}}}]}}]}}""", "spec.rules[0].http.paths[0].backend.service.port.numbr")]
    public void UnknownFields_Typos_AreReportedWithUpstreamPaths(string apiVersion, string kind, string json, string expected)
    {
        var unknown = Served.Service.UnknownFields(apiVersion, kind, JsonNode.Parse(json)!.AsObject());

        Assert.Equal([expected], unknown);
    }

    [Fact]
    public void UnknownFields_FreeFormMapsAndRawData_AreNotLookedInto()
    {
        var obj = JsonNode.Parse("""
            {"metadata":{"labels":{"anything":"x"},"annotations":{"a/b":"c"},"managedFields":[{"manager":"m","fieldsV1":{"f:spec":{}}}]},
             "data":{"anything":{"nested":"raw"}},"revision":1}
            """)!.AsObject();

        Assert.Empty(Served.Service.UnknownFields("apps/v1", "ControllerRevision", obj));
    }

    [Fact]
    public void UnknownFields_SeveralTypos_KeepDocumentOrder()
    {
        var obj = JsonNode.Parse("""{"spec":{"zeta":1,"containers":[{"name":"a","imagee":"x"}],"alpha":2}}""")!.AsObject();

        Assert.Equal(["spec.zeta", "spec.containers[0].imagee", "spec.alpha"], Served.Service.UnknownFields("v1", "Pod", obj));
    }

    [Fact]
    public void UnknownFields_KindWithoutSchema_ReportsNothing() =>
        Assert.Empty(Served.Service.UnknownFields("example.com/v1", "Widget", JsonNode.Parse("""{"spec":{"x":1}}""")!.AsObject()));

    [Fact]
    public void StrictDecodingMessage_MatchesUpstreamText() =>
        Assert.Equal(
            "Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: unknown field \"spec.a\", unknown field \"spec.b\"",
            OpenApiService.StrictDecodingMessage("Pod", "v1", ["spec.a", "spec.b"]));
}
