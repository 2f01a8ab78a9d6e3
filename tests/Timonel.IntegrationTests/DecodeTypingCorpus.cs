namespace Timonel.IntegrationTests;

/// <summary>
/// Writes whose result does not decode as its kind, through every write path, each with the answer upstream gives
/// (the namespace holds a Deployment, a ConfigMap and a Widget custom resource named "existing").
/// </summary>
public static class DecodeTypingCorpus
{
    public const string Deployments = "/apis/apps/v1/namespaces/{ns}/deployments";
    private const string Deployment = Deployments + "/existing";
    public const string ConfigMaps = "/api/v1/namespaces/{ns}/configmaps";
    public const string Widgets = "/apis/typing.example.com/v1/namespaces/{ns}/widgets";
    private const string Json = "application/json";
    private const string Merge = "application/merge-patch+json";
    private const string JsonPatch = "application/json-patch+json";
    private const string Strategic = "application/strategic-merge-patch+json";
    public static IReadOnlyList<BadInputCase> Cases { get; } =
    [
        new("create: replicas beyond int32", "POST", Deployments, Json, DeploymentJson("a", "4294967297"), 400, "BadRequest",
            "Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal number 4294967297 into Go struct field DeploymentSpec.spec.replicas of type int32"),
        new("create: replicas in exponent form", "POST", Deployments, Json, DeploymentJson("a", "1e3"), 400, "BadRequest",
            "json: cannot unmarshal number 1e3 into Go struct field DeploymentSpec.spec.replicas of type int32"),
        new("create: maxSurge an object", "POST", Deployments, Json,
            """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"a"},"spec":{"selector":{"matchLabels":{"a":"b"}},"strategy":{"rollingUpdate":{"maxSurge":{}}},"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}""",
            400, "BadRequest", "json: cannot unmarshal object into Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate.maxSurge of type int32"),
        new("create: grace period beyond int64", "POST", "/api/v1/namespaces/{ns}/pods", Json,
            """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"},"spec":{"terminationGracePeriodSeconds":9223372036854775808,"containers":[{"name":"c","image":"i"}]}}""",
            400, "BadRequest", "Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal number 9223372036854775808 into Go struct field PodSpec.spec.terminationGracePeriodSeconds of type int64"),
        new("create: quantity that does not parse", "POST", "/api/v1/namespaces/{ns}/pods", Json,
            """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"},"spec":{"containers":[{"name":"c","image":"i","resources":{"limits":{"cpu":"lots"}}}]}}""",
            400, "BadRequest", "Pod in version \"v1\" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"),
        new("create: creationTimestamp garbage", "POST", ConfigMaps, Json, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","creationTimestamp":"garbage"}}""", 400, "BadRequest",
            "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: parsing time \"garbage\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"garbage\" as \"2006\""),
        new("create: secret data not base64", "POST", "/api/v1/namespaces/{ns}/secrets", Json, """{"apiVersion":"v1","kind":"Secret","metadata":{"name":"a"},"data":{"k":"!!"}}""", 400, "BadRequest",
            "Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte 0"),
        new("create: apiVersion a number", "POST", ConfigMaps, Json, """{"apiVersion":5,"kind":"ConfigMap","metadata":{"name":"a"}}""", 400, "BadRequest",
            "the object provided is unrecognized ({\"apiVersion\":5,\"kind\":\"Config ...): couldn't get version/kind; json parse error: json: cannot unmarshal number into Go struct field .apiVersion of type string"),
        new("update: replicas beyond int32", "PUT", Deployment, Json, DeploymentJson("existing", "2147483648"), 400, "BadRequest",
            "json: cannot unmarshal number 2147483648 into Go struct field DeploymentSpec.spec.replicas of type int32"),
        new("merge patch: replicas beyond int32", "PATCH", Deployment, Merge, """{"spec":{"replicas":4294967297}}""", 422, "Invalid",
            "json: cannot unmarshal number 4294967297 into Go struct field DeploymentSpec.spec.replicas of type int32"),
        new("JSON patch: replicas beyond float64", "PATCH", Deployment, JsonPatch, """[{"op":"replace","path":"/spec/replicas","value":1e400}]""", 422, "Invalid",
            "json: cannot unmarshal number 1e400 into Go struct field DeploymentSpec.spec.replicas of type int32"),
        new("JSON patch: kind rewritten", "PATCH", ConfigMaps + "/existing", JsonPatch, """[{"op":"replace","path":"/kind","value":"Secret"}]""", 422, "Invalid",
            "unable to decode /v1, Kind=Secret into *core.ConfigMap"),
        new("JSON patch: apiVersion rewritten", "PATCH", Deployment, JsonPatch, """[{"op":"replace","path":"/apiVersion","value":"apps/v2"}]""", 422, "Invalid",
            "no kind \"Deployment\" is registered for version \"apps/v2\" in scheme \"pkg/api/legacyscheme/scheme.go:30\""),
        new("strategic merge patch: binaryData not base64", "PATCH", ConfigMaps + "/existing", Strategic, """{"binaryData":{"b":"YQ="}}""", 422, "Invalid",
            "illegal base64 data at input byte 3"),
        new("status merge patch: replicas beyond int32", "PATCH", Deployment + "/status", Merge, """{"status":{"replicas":4294967297}}""", 422, "Invalid",
            "json: cannot unmarshal number 4294967297 into Go struct field DeploymentStatus.status.replicas of type int32"),
        new("scale update: replicas beyond int32", "PUT", Deployment + "/scale", Json, """{"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"existing"},"spec":{"replicas":4294967297}}""", 400, "BadRequest",
            "Scale in version \"v1\" cannot be handled as a Scale: json: cannot unmarshal number 4294967297 into Go struct field ScaleSpec.spec.replicas of type int32"),
        new("scale merge patch: replicas not an integer", "PATCH", Deployment + "/scale", Merge, """{"spec":{"replicas":1.5}}""", 422, "Invalid",
            "json: cannot unmarshal number 1.5 into Go struct field ScaleSpec.spec.replicas of type int32"),
        new("custom resource: labels a number", "POST", Widgets, Json, """{"apiVersion":"typing.example.com/v1","kind":"Widget","metadata":{"name":"a","labels":7}}""", 400, "BadRequest",
            "Widget in version \"v1\" cannot be handled as a Widget: json: cannot unmarshal number into Go struct field ObjectMeta.labels of type map[string]string"),
        new("custom resource: creationTimestamp garbage", "POST", Widgets, Json, """{"apiVersion":"typing.example.com/v1","kind":"Widget","metadata":{"name":"a","creationTimestamp":"x"}}""", 400, "BadRequest",
            "Widget in version \"v1\" cannot be handled as a Widget: parsing time \"x\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"x\" as \"2006\""),
        new("custom resource patch: annotations a list", "PATCH", Widgets + "/existing", Merge, """{"metadata":{"annotations":[]}}""", 422, "Invalid",
            "json: cannot unmarshal array into Go struct field ObjectMeta.annotations of type map[string]string"),
    ];

    public static TheoryData<string> Names() => [.. Cases.Select(c => c.Name)];

    public static string DeploymentJson(string name, string replicas) =>
        """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"NAME"},"spec":{"replicas":REPLICAS,"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}"""
            .Replace("NAME", name, StringComparison.Ordinal).Replace("REPLICAS", replicas, StringComparison.Ordinal);
}
