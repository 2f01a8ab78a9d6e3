using System.Text.Json.Nodes;
using Timonel.Api.Validation;

namespace Timonel.Api.Tests.Validation;

public sealed class ObjectMetaValidationTests
{
    private static readonly FieldPath _metadata = FieldPath.Root("metadata");

    private static string[] Validate(string metadataJson, bool namespaced = true, bool builtIn = true) =>
        ObjectMetaValidation.ValidateObjectMeta(JsonNode.Parse(metadataJson)!.AsObject(), namespaced, NameValidation.NameIsDnsSubdomain, _metadata, builtIn)
            .Select(e => e.ToString()).ToArray();

    [Fact]
    public void ValidateObjectMeta_Valid_NoErrors()
    {
        Assert.Empty(Validate("""{"name":"web","namespace":"default","labels":{"app":"web"},"annotations":{"note":"x"},"finalizers":["example.com/f"]}"""));
    }

    // %#v of the []string and metav1.OwnerReference values upstream passes (Kubernetes 1.32).
    [Fact]
    public void ValidateObjectMeta_OrphanAndForeground_ShowsTheFinalizerSlice()
    {
        Assert.Equal(
            ["metadata.finalizers: Invalid value: []string{\"orphan\", \"foregroundDeletion\"}: finalizer orphan and foregroundDeletion cannot be both set"],
            Validate("""{"name":"a","namespace":"default","finalizers":["orphan","foregroundDeletion"]}"""));
    }

    [Fact]
    public void ValidateObjectMeta_EventOwner_ShowsTheOwnerReferenceStruct()
    {
        Assert.Equal(
            ["metadata.ownerReferences: Invalid value: v1.OwnerReference{APIVersion:\"v1\", Kind:\"Event\", Name:\"e\", UID:\"u-1\", Controller:(*bool)(0xc000000000), BlockOwnerDeletion:(*bool)(nil)}: /v1, Kind=Event is disallowed from being an owner"],
            Validate("""{"name":"a","namespace":"default","ownerReferences":[{"apiVersion":"v1","kind":"Event","name":"e","uid":"u-1","controller":false}]}"""));
    }

    [Fact]
    public void ValidateObjectMeta_NoNameNoGenerateName_Required()
    {
        Assert.Equal(["metadata.name: Required value: name or generateName is required"], Validate("""{"namespace":"default"}"""));
    }

    [Fact]
    public void ValidateObjectMeta_NamespacedWithoutNamespace_Required()
    {
        Assert.Equal(["metadata.namespace: Required value"], Validate("""{"name":"a"}"""));
    }

    [Fact]
    public void ValidateObjectMeta_ClusterScopedWithNamespace_Forbidden()
    {
        Assert.Equal(["metadata.namespace: Forbidden: not allowed on this type"], Validate("""{"name":"a","namespace":"x"}""", namespaced: false));
    }

    [Fact]
    public void ValidateObjectMeta_BadName_InvalidWithValue()
    {
        var errors = Validate("""{"name":"Web_1","namespace":"default"}""");
        Assert.Single(errors);
        Assert.StartsWith("metadata.name: Invalid value: \"Web_1\": a lowercase RFC 1123 subdomain", errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateObjectMeta_BadLabels_ErrorsOnLabelsPath()
    {
        var errors = Validate("""{"name":"a","namespace":"d","labels":{"-bad":"ok","good":"-bad"}}""");
        Assert.Equal(2, errors.Length);
        Assert.StartsWith("metadata.labels: Invalid value: \"-bad\": name part must consist of", errors[0], StringComparison.Ordinal);
        Assert.StartsWith("metadata.labels: Invalid value: \"-bad\": a valid label must be", errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateObjectMeta_AnnotationsOver256KiB_TooLong()
    {
        var meta = new JsonObject { ["name"] = "a", ["namespace"] = "d", ["annotations"] = new JsonObject { ["big"] = new string('x', 256 * 1024) } };
        var errors = ObjectMetaValidation.ValidateObjectMeta(meta, true, NameValidation.NameIsDnsSubdomain, _metadata);
        Assert.Equal("metadata.annotations: Too long: may not be more than 262144 bytes", Assert.Single(errors).ToString());
    }

    [Fact]
    public void ValidateObjectMeta_UnqualifiedFinalizer_BuiltInOnly()
    {
        Assert.Equal(["metadata.finalizers[0]: Invalid value: \"custom\": name is neither a standard finalizer name nor is it fully qualified"],
            Validate("""{"name":"a","namespace":"d","finalizers":["custom","kubernetes"]}"""));
        Assert.Empty(Validate("""{"name":"a","namespace":"d","finalizers":["custom"]}""", builtIn: false));
    }

    [Fact]
    public void ValidateObjectMeta_TwoControllers_Invalid()
    {
        var errors = Validate("""
            {"name":"a","namespace":"d","ownerReferences":[
              {"apiVersion":"apps/v1","kind":"ReplicaSet","name":"r1","uid":"1","controller":true},
              {"apiVersion":"apps/v1","kind":"ReplicaSet","name":"r2","uid":"2","controller":true}]}
            """);
        Assert.Single(errors);
        Assert.EndsWith("Only one reference can have Controller set to true. Found \"true\" in references for ReplicaSet/r1 and ReplicaSet/r2", errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateObjectMeta_OwnerReferenceMissingFields_Invalid()
    {
        var errors = Validate("""{"name":"a","namespace":"d","ownerReferences":[{"apiVersion":"apps/","kind":"","name":"","uid":""}]}""");
        Assert.Equal(
            [
                "metadata.ownerReferences.apiVersion: Invalid value: \"apps/\": version must not be empty",
                "metadata.ownerReferences.kind: Invalid value: \"\": kind must not be empty",
                "metadata.ownerReferences.name: Invalid value: \"\": name must not be empty",
                "metadata.ownerReferences.uid: Invalid value: \"\": uid must not be empty",
            ],
            errors);
    }

    [Fact]
    public void ValidateObjectMetaUpdate_ChangedNameAndNoResourceVersion_Errors()
    {
        var oldMeta = JsonNode.Parse("""{"name":"a","namespace":"d","uid":"u","resourceVersion":"5","generation":2}""")!.AsObject();
        var newMeta = JsonNode.Parse("""{"name":"b","namespace":"d","uid":"u","generation":1}""")!.AsObject();

        var errors = ObjectMetaValidation.ValidateObjectMetaUpdate(newMeta, oldMeta, _metadata).Select(e => e.ToString()).ToArray();

        Assert.Equal(
            [
                "metadata.resourceVersion: Invalid value: \"\": must be specified for an update",
                "metadata.generation: Invalid value: 1: must not be decremented",
                "metadata.name: Invalid value: \"b\": field is immutable",
            ],
            errors);
    }

    [Fact]
    public void ValidateObjectMetaUpdate_NewFinalizerWhileDeleting_Forbidden()
    {
        var oldMeta = JsonNode.Parse("""{"name":"a","resourceVersion":"1","deletionTimestamp":"2024-01-01T00:00:00Z","finalizers":["x.io/a"]}""")!.AsObject();
        var newMeta = JsonNode.Parse("""{"name":"a","resourceVersion":"1","deletionTimestamp":"2024-01-01T00:00:00Z","finalizers":["x.io/a","x.io/b"]}""")!.AsObject();

        var errors = ObjectMetaValidation.ValidateObjectMetaUpdate(newMeta, oldMeta, _metadata);

        Assert.Equal("metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{\"x.io/b\"}", Assert.Single(errors).ToString());
    }
}
