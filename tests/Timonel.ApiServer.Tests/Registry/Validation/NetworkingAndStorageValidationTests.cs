namespace Timonel.ApiServer.Tests.Registry.Validation;

/// <summary>Ingress, PersistentVolumeClaim, StorageClass, Lease and Namespace validation.</summary>
public sealed class NetworkingAndStorageValidationTests
{
    private const string Backend = "backend: {service: {name: web, port: {number: 80}}}";

    public static TheoryData<string, string, string> InvalidObjects() => new()
    {
        { "networking.k8s.io", "kind: Ingress\nmetadata: {name: i}\nspec: {rules: [{http: {paths: [{path: /, " + Backend + "}]}}]}", "Ingress.networking.k8s.io \"i\" is invalid: spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified" },
        { "networking.k8s.io", "kind: Ingress\nmetadata: {name: i}\nspec: {rules: [{http: {paths: [{path: api, pathType: Prefix, " + Backend + "}]}}]}", "Ingress.networking.k8s.io \"i\" is invalid: spec.rules[0].http.paths[0].path: Invalid value: \"api\": must be an absolute path" },
        { "networking.k8s.io", "kind: Ingress\nmetadata: {name: i}\nspec: {rules: [{http: {paths: [{path: /, pathType: Regex, " + Backend + "}]}}]}", "Ingress.networking.k8s.io \"i\" is invalid: spec.rules[0].http.paths[0].pathType: Unsupported value: \"Regex\": supported values: \"Exact\", \"ImplementationSpecific\", \"Prefix\"" },
        { "networking.k8s.io", "kind: Ingress\nmetadata: {name: i}\nspec: {rules: [{http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web}}}]}}]}", "Ingress.networking.k8s.io \"i\" is invalid: spec.rules[0].http.paths[0].backend: Required value: port name or number is required" },
        { "networking.k8s.io", "kind: Ingress\nmetadata: {name: i}\nspec: {rules: [{host: 10.0.0.1, http: {paths: [{path: /, pathType: Prefix, " + Backend + "}]}}]}", "Ingress.networking.k8s.io \"i\" is invalid: spec.rules[0].host: Invalid value: \"10.0.0.1\": must be a DNS name, not an IP address" },
        { "", "kind: PersistentVolumeClaim\nmetadata: {name: p}\nspec: {resources: {requests: {storage: 1Gi}}}", "PersistentVolumeClaim \"p\" is invalid: spec.accessModes: Required value: at least 1 access mode is required" },
        { "", "kind: PersistentVolumeClaim\nmetadata: {name: p}\nspec: {accessModes: [ReadWriteOnce]}", "PersistentVolumeClaim \"p\" is invalid: spec.resources[storage]: Required value" },
        { "storage.k8s.io", "kind: StorageClass\nmetadata: {name: s}", "StorageClass.storage.k8s.io \"s\" is invalid: provisioner: Required value" },
        { "coordination.k8s.io", "kind: Lease\nmetadata: {name: l}\nspec: {leaseDurationSeconds: 0}", "Lease.coordination.k8s.io \"l\" is invalid: spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0" },
        { "", "kind: Namespace\nmetadata: {name: n}\nspec: {finalizers: [custom]}", "Namespace \"n\" is invalid: spec.finalizers: Invalid value: \"custom\": name is neither a standard finalizer name nor is it fully qualified" },
    };

    [Theory]
    [MemberData(nameof(InvalidObjects))]
    public void Validate_InvalidObject_AnswersUpstreamMessage(string group, string yaml, string expected) =>
        Assert.Equal(expected, ValidationSteps.CreateMessage(group, yaml));

    [Fact]
    public void ValidateUpdate_ClaimAccessModes_AreImmutable() =>
        Assert.Equal(
            "PersistentVolumeClaim \"p\" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests for bound claims",
            ValidationSteps.UpdateMessage("", "kind: PersistentVolumeClaim\nmetadata: {name: p}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}", p => p["spec"]!["accessModes"]![0] = "ReadWriteMany"));

    [Fact]
    public void ValidateUpdate_StorageClassProvisioner_IsForbidden() =>
        Assert.Equal(
            "StorageClass.storage.k8s.io \"s\" is invalid: provisioner: Forbidden: updates to provisioner are forbidden.",
            ValidationSteps.UpdateMessage("storage.k8s.io", "kind: StorageClass\nmetadata: {name: s}\nprovisioner: a.io/b", s => s["provisioner"] = "c.io/d"));
}
