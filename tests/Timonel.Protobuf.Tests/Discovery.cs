using System.Text.Json.Nodes;

namespace Timonel.Protobuf.Tests;

/// <summary>Legacy (unaggregated) discovery documents for the resources the kubectl tests create.</summary>
internal static class Discovery
{
    private static readonly string[] _verbs = ["create", "delete", "get", "list", "patch", "update", "watch"];

    public static IReadOnlyDictionary<string, string> Documents { get; } = new Dictionary<string, string>
    {
        ["/api"] = new JsonObject { ["kind"] = "APIVersions", ["versions"] = new JsonArray("v1") }.ToJsonString(),
        ["/apis"] = new JsonObject
        {
            ["kind"] = "APIGroupList",
            ["apiVersion"] = "v1",
            ["groups"] = new JsonArray(Group("apps"), Group("batch"), Group("rbac.authorization.k8s.io"),
                Group("networking.k8s.io"), Group("policy"), Group("scheduling.k8s.io")),
        }.ToJsonString(),
        ["/api/v1"] = ResourceList("v1",
            ("namespaces", "Namespace", false), ("configmaps", "ConfigMap", true), ("secrets", "Secret", true),
            ("services", "Service", true), ("pods", "Pod", true), ("resourcequotas", "ResourceQuota", true),
            ("serviceaccounts", "ServiceAccount", true)),
        ["/apis/apps/v1"] = ResourceList("apps/v1", ("deployments", "Deployment", true)),
        ["/apis/batch/v1"] = ResourceList("batch/v1", ("jobs", "Job", true), ("cronjobs", "CronJob", true)),
        ["/apis/rbac.authorization.k8s.io/v1"] = ResourceList("rbac.authorization.k8s.io/v1",
            ("roles", "Role", true), ("clusterrolebindings", "ClusterRoleBinding", false)),
        ["/apis/networking.k8s.io/v1"] = ResourceList("networking.k8s.io/v1", ("ingresses", "Ingress", true)),
        ["/apis/policy/v1"] = ResourceList("policy/v1", ("poddisruptionbudgets", "PodDisruptionBudget", true)),
        ["/apis/scheduling.k8s.io/v1"] = ResourceList("scheduling.k8s.io/v1", ("priorityclasses", "PriorityClass", false)),
    };

    public static string NotFound(string path) => Failure($"the server could not find the requested resource ({path})", 404);

    public static string Failure(string message, int code) => new JsonObject
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["status"] = "Failure",
        ["message"] = message,
        ["code"] = code,
    }.ToJsonString();

    private static JsonObject Group(string name) => new()
    {
        ["name"] = name,
        ["versions"] = new JsonArray(new JsonObject { ["groupVersion"] = name + "/v1", ["version"] = "v1" }),
        ["preferredVersion"] = new JsonObject { ["groupVersion"] = name + "/v1", ["version"] = "v1" },
    };

    private static string ResourceList(string groupVersion, params (string Name, string Kind, bool Namespaced)[] resources) => new JsonObject
    {
        ["kind"] = "APIResourceList",
        ["apiVersion"] = "v1",
        ["groupVersion"] = groupVersion,
        ["resources"] = new JsonArray(resources.Select(r => (JsonNode)new JsonObject
        {
            ["name"] = r.Name,
            ["singularName"] = "",
            ["namespaced"] = r.Namespaced,
            ["kind"] = r.Kind,
            ["verbs"] = new JsonArray(_verbs.Select(v => (JsonNode)JsonValue.Create(v)).ToArray()),
        }).ToArray()),
    }.ToJsonString();
}
