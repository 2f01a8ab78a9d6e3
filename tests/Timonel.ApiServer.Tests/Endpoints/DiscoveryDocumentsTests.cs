using System.Text.Json.Nodes;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Tests.Endpoints;

/// <summary>Subresources in legacy discovery come from each resource's declaration, listed as upstream lists them.</summary>
public sealed class DiscoveryDocumentsTests
{
    private static readonly IReadOnlyList<ResourceDefinition> _catalog = ResourceCatalog.BuiltIn(new BuiltInStrategies());

    [Fact]
    public void ResourceList_Pods_SubresourcesByNameAfterTheResource()
    {
        var names = Names(ResourceList("", "v1")).Where(n => n.StartsWith("pods", StringComparison.Ordinal));

        Assert.Equal(["pods", "pods/attach", "pods/binding", "pods/eviction", "pods/exec", "pods/log", "pods/portforward", "pods/status"], names);
    }

    [Theory]
    [InlineData("", "v1", "namespaces/finalize", "Namespace", null, "update")]
    [InlineData("", "v1", "namespaces/status", "Namespace", null, "get,patch,update")]
    [InlineData("", "v1", "serviceaccounts/token", "TokenRequest", "authentication.k8s.io", "create")]
    [InlineData("", "v1", "pods/eviction", "Eviction", "policy", "create")]
    [InlineData("apps", "v1", "statefulsets/scale", "Scale", "autoscaling", "get,patch,update")]
    public void ResourceList_Subresource_KindGroupAndVerbs(string group, string version, string name, string kind, string? kindGroup, string verbs)
    {
        var entry = ResourceList(group, version).Single(r => (string?)r["name"] == name);

        Assert.Equal(kind, (string?)entry["kind"]);
        Assert.Equal(kindGroup, (string?)entry["group"]);
        Assert.Equal(verbs, string.Join(',', entry["verbs"]!.AsArray().Select(v => (string?)v)));
        Assert.Equal("", (string?)entry["singularName"]);
    }

    [Fact]
    public void ResourceList_DataKinds_NoSubresources() =>
        Assert.DoesNotContain(Names(ResourceList("", "v1")), n => n.StartsWith("configmaps/", StringComparison.Ordinal));

    [Fact]
    public void ServedSubresources_DefinedWithScale_StatusAndScaleDeclared()
    {
        // A kind added with a plain Define(..., scale: true) line, as a ReplicationController is.
        var definition = _catalog.Single(d => d.Plural == "deployments") with { Kind = "ReplicationController", Plural = "replicationcontrollers", Group = "" };

        Assert.Equal(["scale", "status"], definition.ServedSubresources.Select(s => s.Name));
        Assert.Null(definition.FindSubresource("log"));
    }

    private static List<JsonObject> ResourceList(string group, string version) =>
        [.. DiscoveryDocuments.ResourceList(version, _catalog.Where(d => d.Group == group && d.Version == version))["resources"]!.AsArray().Select(r => r!.AsObject())];

    private static IEnumerable<string> Names(IEnumerable<JsonObject> resources) => resources.Select(r => (string)r["name"]!);
}
