using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Endpoints;

/// <summary>
/// Legacy discovery (/api, /apis, /api/v1, /apis/GROUP[/VERSION]) as kube-apiserver serves it, so kubectl finds
/// resources, short names and the "all" category.
/// </summary>
public static class DiscoveryDocuments
{
    private static readonly string[] _allVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
    private static readonly string[] _createVerbs = ["create"];

    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject GroupList(StoreRegistry registry) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray([.. registry.Groups().Select(g => (JsonNode)Group(g.Group, g.Versions))]),
    };

    public static JsonObject Group(string group, IReadOnlyList<string> versions)
    {
        var versionList = new JsonArray([.. versions.Select(v => (JsonNode)new JsonObject { ["groupVersion"] = $"{group}/{v}", ["version"] = v })]);
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = versionList,
            ["preferredVersion"] = versionList[0]!.DeepClone(),
        };
    }

    public static JsonObject ResourceList(string groupVersion, IEnumerable<ResourceDefinition> definitions)
    {
        var resources = new JsonArray();
        foreach (var definition in definitions)
        {
            var verbs = definition.CreateOnly ? _createVerbs : definition.Kind == "Namespace" ? _allVerbs.Where(v => v != "deletecollection") : _allVerbs;
            var resource = new JsonObject
            {
                ["name"] = definition.Plural,
                ["singularName"] = definition.Singular,
                ["namespaced"] = definition.Namespaced,
                ["kind"] = definition.Kind,
                ["verbs"] = new JsonArray([.. verbs.Select(v => (JsonNode)v)]),
            };
            if (definition.ShortNames.Count > 0)
            {
                resource["shortNames"] = new JsonArray([.. definition.ShortNames.Select(s => (JsonNode)s)]);
            }

            if (definition.Categories.Count > 0)
            {
                resource["categories"] = new JsonArray([.. definition.Categories.Select(s => (JsonNode)s)]);
            }

            // Only stored resources have a storage version (a review has none, as upstream lists it).
            if (!definition.CreateOnly)
            {
                resource["storageVersionHash"] = StorageVersionHash(definition);
            }

            resources.Add(resource);
            foreach (var subresource in definition.ServedSubresources)
            {
                resources.Add(Subresource(definition, subresource));
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = groupVersion,
            ["resources"] = resources,
        };
    }

    private static JsonObject Subresource(ResourceDefinition definition, SubresourceDefinition subresource)
    {
        var resource = new JsonObject
        {
            ["name"] = $"{definition.Plural}/{subresource.Name}",
            ["singularName"] = "",
            ["namespaced"] = definition.Namespaced,
        };
        if (subresource.Group is not null)
        {
            resource["group"] = subresource.Group;
            resource["version"] = subresource.Version;
        }

        resource["kind"] = subresource.Kind ?? definition.Kind;
        resource["verbs"] = new JsonArray([.. subresource.Verbs.Select(v => (JsonNode)v)]);
        return resource;
    }

    // Upstream hashes "group/version/kind" of the storage version with SHA-256 and keeps 8 bytes, base64
    // (apiserver/pkg/endpoints/discovery/storageversionhash.go); clients only compare it for changes. A resource
    // stored as another's has that one's hash (events.k8s.io Events: core v1 Event's).
    private static string StorageVersionHash(ResourceDefinition definition)
    {
        var (group, version, kind) = definition.StoredAs is { } shared ? (shared.Group, shared.Version, shared.Kind) : (definition.Group, definition.Version, definition.Kind);
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{group}/{version}/{kind}"));
        return Convert.ToBase64String(bytes, 0, 8);
    }
}
