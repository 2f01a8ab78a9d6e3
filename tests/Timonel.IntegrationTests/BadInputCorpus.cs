namespace Timonel.IntegrationTests;

/// <summary>The malformed requests users and broken tools actually send, each with the answer upstream gives.</summary>
public static class BadInputCorpus
{
    public const string ExistingConfigMap = "existing";

    private const string ConfigMaps = "/api/v1/namespaces/{ns}/configmaps";
    private const string Existing = ConfigMaps + "/" + ExistingConfigMap;
    private const string Json = "application/json";

    private static readonly string _hugeConfigMap = ConfigMapPrefix("huge") + "\"" + new string('x', 10_000_000) + "\"}}";

    // Nine levels of anchored lists of nine aliases each: about 700 bytes that expand to 9^9 strings.
    private static readonly string _aliasBomb = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\nbinaryData:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        + string.Concat(Enumerable.Range(1, 8).Select(i => $"  a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 9))}]\n"));

    public static IReadOnlyList<BadInputCase> Cases { get; } =
    [
        new("truncated JSON", "POST", ConfigMaps, Json, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"truncated"},"data":{"a":""", 400, "BadRequest", "JSON"),
        // Upstream decodes into typed structs: "Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot
        // unmarshal string into Go struct field Deployment.spec of type v1.DeploymentSpec" (handlers/rest.go).
        new("spec is a string", "POST", "/apis/apps/v1/namespaces/{ns}/deployments", Json,
            """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"spec-string"},"spec":"x"}""", 400, "BadRequest", "Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field Deployment.spec of type v1.DeploymentSpec"),
        new("metadata is a number", "POST", ConfigMaps, Json, """{"apiVersion":"v1","kind":"ConfigMap","metadata":5}""", 400, "BadRequest",
            "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.metadata of type v1.ObjectMeta"),
        new("containers is an object", "POST", "/api/v1/namespaces/{ns}/pods", Json,
            """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"containers-object"},"spec":{"containers":{}}}""", 400, "BadRequest", "cannot be handled as a Pod"),
        new("data value is a number", "POST", ConfigMaps, Json, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"data-number"},"data":{"a":5}}""", 400, "BadRequest", "cannot be handled as a ConfigMap"),
        new("100,000 nested arrays", "POST", ConfigMaps, Json,
            ConfigMapPrefix("deep") + new string('[', 100_000) + new string(']', 100_000) + "}}", 400, "BadRequest", "depth"),
        // Upstream's limitedReadBody: NewRequestEntityTooLargeError(fmt.Sprintf("limit is %d", limit)), 3 MiB by default.
        new("10 MB string value", "POST", ConfigMaps, Json,
            _hugeConfigMap, 413, "RequestEntityTooLarge", "Request entity too large: limit is 3145728"),
        new("10 MB string value, chunked", "POST", ConfigMaps, Json, _hugeConfigMap, 413, "RequestEntityTooLarge", "Request entity too large: limit is 3145728")
        {
            Chunked = true,
        },
        new("unknown kind", "POST", ConfigMaps, Json, """{"apiVersion":"v1","kind":"Gizmo","metadata":{"name":"gizmo"}}""", 400, "BadRequest", "Gizmo"),
        // Upstream's create handler (endpoints/handlers/create.go) words the version check this way.
        new("apiVersion mismatch", "POST", ConfigMaps, Json, """{"apiVersion":"apps/v1","kind":"ConfigMap","metadata":{"name":"mismatch"}}""",
            400, "BadRequest", "the API version in the data (apps/v1) does not match the expected API version (v1)"),
        new("empty body", "POST", ConfigMaps, Json, "", 400, "BadRequest", "empty"),
        new("tab-indented YAML", "POST", "/api/v1/namespaces/{ns}/pods", "application/yaml", File.ReadAllBytes(Examples.File("bad/02-pod-tab-indented.yaml")), 400, "BadRequest", "line 8"),
        // go-yaml v2's alias limit (decode.go allowedAliasRatio), met before the 387 million strings are made.
        new("YAML alias bomb", "POST", ConfigMaps, "application/yaml", _aliasBomb, 400, "BadRequest",
            "error converting YAML to JSON: yaml: document contains excessive aliasing"),
        new("YAML alias bomb as an apply configuration", "PATCH", ConfigMaps + "/lol?fieldManager=test", "application/apply-patch+yaml", _aliasBomb, 400, "BadRequest",
            "error converting YAML to JSON: yaml: document contains excessive aliasing"),
        // A reader that recursed without a limit overflowed the stack here and took the server down.
        new("100,000 nested YAML lists", "POST", ConfigMaps, "application/yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n  a: " + new string('[', 100_000) + new string(']', 100_000) + "\n",
            400, "BadRequest", "exceeded max depth of 512"),
        new("100,000 nested YAML lists as an apply configuration", "PATCH", ConfigMaps + "/deep?fieldManager=test", "application/apply-patch+yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n  a: " + new string('[', 100_000) + new string(']', 100_000) + "\n", 400, "BadRequest", "exceeded max depth of 512"),
        new("600 nested JSON arrays", "POST", ConfigMaps, Json, ConfigMapPrefix("deep") + new string('[', 600) + new string(']', 600) + "}}", 400, "BadRequest", "depth of 512"),
        new("JSON array instead of an object", "POST", ConfigMaps, Json, """[{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"array"}}]""", 400, "BadRequest", "JSON object"),
        // negotiation.NewUnsupportedMediaTypeError, with the serializers kube-apiserver 1.32 registers.
        new("text/plain body", "POST", ConfigMaps, "text/plain", "name: plain", 415, "UnsupportedMediaType",
            "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf"),
        new("unknown patch type", "PATCH", Existing, "application/x-unknown-patch", """{"data":{"a":"patched"}}""", 415, "UnsupportedMediaType",
            "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml"),
        // metav1 validation.ValidatePatchOptions: an apply names its field manager; force is for applies only.
        new("server-side apply without a field manager", "PATCH", ConfigMaps + "/not-there", "application/apply-patch+yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: not-there\n", 422, "Invalid",
            "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch"),
        new("field manager with a control character", "PATCH", Existing + "?fieldManager=a%07", "application/merge-patch+json", """{"data":{"a":"bell"}}""", 422, "Invalid",
            "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Invalid value: \"a\\a\": invalid character U+0007 (at position 1)"),
        new("force on a merge patch", "PATCH", Existing + "?force=true", "application/merge-patch+json", """{"data":{"a":"forced"}}""", 422, "Invalid",
            "PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for non-apply patch"),
        new("server-side apply of another version", "PATCH", ConfigMaps + "/not-there?fieldManager=test", "application/apply-patch+yaml", "apiVersion: v2\nkind: ConfigMap\nmetadata:\n  name: not-there\n", 400, "BadRequest",
            "Incorrect version specified in apply patch. Specified patch version: v2, expected: v1"),
        new("server-side apply carrying managedFields", "PATCH", ConfigMaps + "/not-there?fieldManager=test", "application/apply-patch+yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: not-there\n  managedFields: [{manager: me}]\n", 400, "BadRequest",
            "metadata.managedFields must be nil"),
        // rest.EnsureObjectNamespaceMatchesRequestNamespace.
        new("create naming another namespace in the body", "POST", ConfigMaps, Json, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"elsewhere","namespace":"kube-system"}}""", 400, "BadRequest",
            "the namespace of the provided object does not match the namespace sent on the request"),
        new("JSON patch that is an object", "PATCH", Existing, "application/json-patch+json", """{"op":"add","path":"/data/b","value":"c"}""", 400, "BadRequest", "patch"),
        // A patch that decodes but cannot apply is 422 upstream (handlers/patch.go applyJSPatch); the text is evanphx/json-patch's.
        new("JSON patch with an unknown op", "PATCH", Existing, "application/json-patch+json", """[{"op":"explode","path":"/data/a"}]""", 422, "Invalid", "Unexpected kind: explode"),
        new("truncated merge patch", "PATCH", Existing, "application/merge-patch+json", """{"data":{"a":""", 400, "BadRequest", "JSON"),
        // sigs.k8s.io/json's strict decoder names repeated keys by path, quoted with strconv.Quote (kubernetes_patch.go); the
        // create handler wraps them in "cannot be handled as a", the patch handler does not, and prefixes a JSON patch's.
        new("repeated key under fieldValidation=Strict", "POST", ConfigMaps + "?fieldValidation=Strict", Json, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup","name":"dup2"}}""",
            400, "BadRequest", "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: duplicate field \"metadata.name\""),
        new("JSON patch repeating a key under fieldValidation=Strict", "PATCH", Existing + "?fieldValidation=Strict", "application/json-patch+json", """[{"op":"replace","path":"/data/a","value":"x","value":"y"}]""",
            400, "BadRequest", "strict decoding error: json patch duplicate field \"[0].value\""),
        new("merge patch repeating a key under fieldValidation=Strict", "PATCH", Existing + "?fieldValidation=Strict", "application/merge-patch+json", """{"data":{"a":"x","a":"y"}}""",
            400, "BadRequest", "strict decoding error: duplicate field \"data.a\""),
        new("unknown field named with a control character under fieldValidation=Strict", "POST", ConfigMaps + "?fieldValidation=Strict", Json, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"ctl"},"\u0001x":1}""",
            400, "BadRequest", "strict decoding error: unknown field \"\\x01x\""),
        // The YAML serializer runs the body through sigs.k8s.io/yaml's YAMLToJSONStrict too (go-yaml v2's wording), and
        // the apply patcher decodes the configuration with its UnmarshalStrict.
        new("YAML repeating a key under fieldValidation=Strict", "POST", ConfigMaps + "?fieldValidation=Strict", "application/yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dup\n  name: dup2\n",
            400, "BadRequest", "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: error converting YAML to JSON: yaml: unmarshal errors:\n  line 5: key \"name\" already set in map"),
        new("apply configuration repeating a key under fieldValidation=Strict", "PATCH", Existing + "?fieldManager=test&fieldValidation=Strict", "application/apply-patch+yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: existing\ndata:\n  a: one\n  a: two\n",
            400, "BadRequest", "error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n  line 7: key \"a\" already set in map"),
        // handlers/patch.go maxJSONPatchOperations, checked before any operation applies.
        new("JSON patch of 10,001 operations", "PATCH", Existing, "application/json-patch+json", "[" + string.Join(",", Enumerable.Repeat("""{"op":"test","path":"/data/a","value":"b"}""", 10_001)) + "]",
            413, "RequestEntityTooLarge", "Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001"),
        // evanphx/json-patch's AccumulatedCopySizeLimit, which kube-apiserver sets from JSONPatchMaxCopyBytes (3 MiB).
        new("JSON patch copying more than 3 MiB", "PATCH", Existing, "application/json-patch+json",
            "[{\"op\":\"add\",\"path\":\"/data/big\",\"value\":\"" + new string('x', 1_048_576) + "\"}," + string.Join(",", Enumerable.Range(0, 3).Select(i => $$"""{"op":"copy","from":"/data/big","path":"/data/c{{i}}"}""")) + "]",
            422, "Invalid", "Unable to complete the copy, the accumulated size increase of copy is 3145734, exceeding the limit 3145728"),
        new("JSON patch replacing below a missing key", "PATCH", Existing, "application/json-patch+json", """[{"op":"replace","path":"/data/zz/x","value":"1"}]""",
            422, "Invalid", "replace operation does not apply: doc is missing path: /data/zz/x: missing value"),
        new("JSON patch removing a missing key", "PATCH", Existing, "application/json-patch+json", """[{"op":"remove","path":"/data/zz"}]""",
            422, "Invalid", "error in remove for path: '/data/zz': Unable to remove nonexistent key: zz: missing value"),
        new("JSON patch moving a missing key", "PATCH", Existing, "application/json-patch+json", """[{"op":"move","from":"/data/zz","path":"/data/b"}]""",
            422, "Invalid", "error in move for path: 'zz': Unable to remove nonexistent key: zz: missing value"),
        new("JSON patch copying from below a missing key", "PATCH", Existing, "application/json-patch+json", """[{"op":"copy","from":"/data/zz/x","path":"/data/b"}]""",
            422, "Invalid", "copy operation does not apply: doc is missing from path: /data/zz/x: missing value"),
        new("JSON patch testing below a missing key", "PATCH", Existing, "application/json-patch+json", """[{"op":"test","path":"/data/zz/x","value":"1"}]""",
            422, "Invalid", "test operation does not apply: is missing path: /data/zz/x: missing value"),
        // A resourceVersion the patch sets is the store's precondition (registry/generic/registry/store.go OptimisticLockErrorMsg).
        new("merge patch with a stale resourceVersion", "PATCH", Existing, "application/merge-patch+json", """{"metadata":{"resourceVersion":"1"},"data":{"a":"stale"}}""",
            409, "Conflict", "Operation cannot be fulfilled on configmaps \"existing\": the object has been modified; please apply your changes to the latest version and try again"),
        // The patch handler passes no UID precondition, so ValidateObjectMetaUpdate refuses the change.
        new("JSON patch changing the uid", "PATCH", Existing, "application/json-patch+json", """[{"op":"replace","path":"/metadata/uid","value":"abc"}]""",
            422, "Invalid", "ConfigMap \"existing\" is invalid: metadata.uid: Invalid value: \"abc\": field is immutable"),
        // A PUT's uid is a precondition (handlers/update.go DefaultUpdatedObjectInfo), unlike a patch's.
        new("update naming another uid", "PUT", Existing, Json, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"existing","uid":"abc"},"data":{"a":"other"}}""",
            409, "Conflict", "Operation cannot be fulfilled on configmaps \"existing\": Precondition failed: UID in precondition: abc, UID in object meta: "),
        // apimachinery ValidateAnnotations: keys are qualified names.
        new("annotation key that is not a qualified name", "PATCH", Existing, "application/merge-patch+json", """{"metadata":{"annotations":{"bad key!":"x"}}}""",
            422, "Invalid", "metadata.annotations: Invalid value: \"bad key!\": name part must consist of alphanumeric characters, '-', '_' or '.'"),
        // ValidateObjectMeta: upstream's text for a nameless object (apimachinery/pkg/api/validation/objectmeta.go).
        new("no name", "POST", ConfigMaps, Json, """{"apiVersion":"v1","kind":"ConfigMap","data":{"a":"b"}}""", 422, "Invalid",
            "metadata.name: Required value: name or generateName is required"),
    ];

    /// <summary>A ConfigMap's JSON up to the value of its data key "a".</summary>
    private static string ConfigMapPrefix(string name) => $$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{name}}"},"data":{"a":""";

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var badCase in Cases)
        {
            data.Add(badCase.Name);
        }

        return data;
    }

    public static BadInputCase Find(string name) => Cases.Single(c => c.Name == name);
}
