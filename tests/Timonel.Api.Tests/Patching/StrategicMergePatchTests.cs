using System.Text.Json.Nodes;
using Timonel.Api.Patching;

namespace Timonel.Api.Tests.Patching;

public sealed class StrategicMergePatchTests
{
    // A schema shaped like upstream's test type: mergingList merges by name, mergingIntList merges as a set,
    // nonMergingList is replaced; nested items have the same shape.
    private static readonly PatchSchema _item = BuildItemSchema();

    private static PatchSchema BuildItemSchema()
    {
        var nested = new PatchSchema("mergeItem").WithMergeList("mergingList", "name").WithMergeSet("mergingIntList");
        return new PatchSchema("mergeItem")
            .WithMergeList("mergingList", "name", nested)
            .WithMergeSet("mergingIntList")
            .WithReplace("replacingItem");
    }

    private static JsonObject Apply(string original, string patch, PatchSchema? schema = null) =>
        StrategicMergePatch.Apply(JsonNode.Parse(original), JsonNode.Parse(patch), schema ?? _item);

    // Server-side results of upstream's patch_test.go cases (current + three-way patch → result), rewritten as JSON.
    [Theory]
    [InlineData("add an item in a list and preserve order",
        """{"mergingList":[{"name":"1","other":"a"},{"name":"2","value":"2","other":"b"}]}""",
        """{"$setElementOrder/mergingList":[{"name":"3"},{"name":"1"},{"name":"2"}],"mergingList":[{"name":"3","value":"3"}]}""",
        """{"mergingList":[{"name":"3","value":"3"},{"name":"1","other":"a"},{"name":"2","value":"2","other":"b"}]}""")]
    [InlineData("set elements order in a list with server-only items",
        """{"mergingList":[{"name":"1","other":"a"},{"name":"3","value":"3"},{"name":"4","value":"4"},{"name":"2","value":"2"},{"name":"9"}]}""",
        """{"$setElementOrder/mergingList":[{"name":"4"},{"name":"2"},{"name":"3"},{"name":"1"}]}""",
        """{"mergingList":[{"name":"4","value":"4"},{"name":"2","value":"2"},{"name":"3","value":"3"},{"name":"1","other":"a"},{"name":"9"}]}""")]
    [InlineData("delete map from merging list",
        """{"mergingList":[{"name":"1"},{"name":"2","other":"b"}]}""",
        """{"$setElementOrder/mergingList":[{"name":"2"}],"mergingList":[{"name":"1","$patch":"delete"}]}""",
        """{"mergingList":[{"name":"2","other":"b"}]}""")]
    [InlineData("add map and delete map from merging list",
        """{"mergingList":[{"name":"1"},{"name":"2","other":"b"},{"name":"4","other":"c"}]}""",
        """{"$setElementOrder/mergingList":[{"name":"2"},{"name":"3"}],"mergingList":[{"name":"3"},{"name":"1","$patch":"delete"}]}""",
        """{"mergingList":[{"name":"2","other":"b"},{"name":"4","other":"c"},{"name":"3"}]}""")]
    [InlineData("delete field from map in merging list",
        """{"mergingList":[{"name":"1","value":"1","other":"a"},{"name":"2","value":"2"}]}""",
        """{"mergingList":[{"name":"1","value":null}]}""",
        """{"mergingList":[{"name":"1","other":"a"},{"name":"2","value":"2"}]}""")]
    [InlineData("replace non merging list nested in merging list",
        """{"mergingList":[{"name":"1","nonMergingList":[{"name":"1"},{"name":"2","value":"2"}]},{"name":"2"}]}""",
        """{"mergingList":[{"name":"1","nonMergingList":[{"name":"1","value":"1"}]}]}""",
        """{"mergingList":[{"name":"1","nonMergingList":[{"name":"1","value":"1"}]},{"name":"2"}]}""")]
    [InlineData("add field to map in merging list nested in merging list",
        """{"mergingList":[{"name":"1","mergingList":[{"name":"1"},{"name":"2","value":"2"}]},{"name":"2"}]}""",
        """{"mergingList":[{"name":"1","mergingList":[{"name":"1","value":"1"}]}]}""",
        """{"mergingList":[{"name":"1","mergingList":[{"name":"1","value":"1"},{"name":"2","value":"2"}]},{"name":"2"}]}""")]
    [InlineData("merge lists of scalars",
        """{"mergingIntList":[1,2]}""",
        """{"mergingIntList":[2,3]}""",
        """{"mergingIntList":[1,2,3]}""")]
    [InlineData("add and delete items in lists of scalars",
        """{"mergingIntList":[1,2,3]}""",
        """{"$setElementOrder/mergingIntList":[1,2,4],"$deleteFromPrimitiveList/mergingIntList":[3],"mergingIntList":[4]}""",
        """{"mergingIntList":[1,2,4]}""")]
    [InlineData("$deleteFromPrimitiveList of nonexistent item",
        """{"mergingIntList":[1,2]}""",
        """{"$deleteFromPrimitiveList/mergingIntList":[5]}""",
        """{"mergingIntList":[1,2]}""")]
    [InlineData("$deleteFromPrimitiveList on nonexistent list",
        """{"other":"a"}""",
        """{"$deleteFromPrimitiveList/mergingIntList":[5]}""",
        """{"other":"a"}""")]
    [InlineData("$deleteFromPrimitiveList on a list without merge strategy",
        """{"nonMergingIntList":[1,2,3]}""",
        """{"$deleteFromPrimitiveList/nonMergingIntList":[2]}""",
        """{"nonMergingIntList":[1,3]}""")]
    [InlineData("retainKeys clears fields not listed",
        """{"retainKeysMap":{"name":"foo","value":"bar","other":"x"}}""",
        """{"retainKeysMap":{"$retainKeys":["name","value"],"value":"baz"}}""",
        """{"retainKeysMap":{"name":"foo","value":"baz"}}""")]
    [InlineData("replace directive on a map",
        """{"nested":{"a":"1","b":"2"}}""",
        """{"nested":{"$patch":"replace","c":"3"}}""",
        """{"nested":{"c":"3"}}""")]
    [InlineData("delete directive on a map",
        """{"nested":{"a":"1"},"keep":"x"}""",
        """{"nested":{"$patch":"delete"}}""",
        """{"nested":{},"keep":"x"}""")]
    [InlineData("replace directive in a merging list",
        """{"mergingList":[{"name":"1"},{"name":"2"}]}""",
        """{"mergingList":[{"name":"3"},{"$patch":"replace"}]}""",
        """{"mergingList":[{"name":"3"}]}""")]
    [InlineData("replace strategy field",
        """{"replacingItem":{"a":"1","b":"2"}}""",
        """{"replacingItem":{"c":"3"}}""",
        """{"replacingItem":{"c":"3"}}""")]
    [InlineData("null deletes a key, unmatched null ignored",
        """{"a":"1","b":"2"}""",
        """{"a":null,"zz":null,"c":{"d":null,"e":"1"}}""",
        """{"b":"2","c":{"e":"1"}}""")]
    [InlineData("type change replaces",
        """{"a":{"b":"1"}}""",
        """{"a":"text"}""",
        """{"a":"text"}""")]
    [InlineData("new list value drops directives",
        """{}""",
        """{"mergingList":[{"name":"1"},{"name":"2","$patch":"delete"}]}""",
        """{"mergingList":[{"name":"1"}]}""")]
    public void Apply_UpstreamCases(string description, string original, string patch, string expected)
    {
        _ = description;
        JsonAssert.Equal(expected, Apply(original, patch));
    }

    // Upstream interleaving: server-only items keep their place before patch items found in the server list;
    // items new to the list go before server-only items they cannot be compared with.
    [Fact]
    public void Apply_DeploymentContainers_MergeByNameAndEnvByName()
    {
        var schema = PatchSchemas.ForKind("apps/v1", "Deployment")!;
        var original = """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"}},
             "spec":{"replicas":1,"template":{"metadata":{"labels":{"app":"web"}},"spec":{
               "containers":[
                 {"name":"nginx","image":"nginx:1.25","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],
                  "ports":[{"containerPort":80,"protocol":"TCP"}]},
                 {"name":"sidecar","image":"busybox"}],
               "volumes":[{"name":"data","emptyDir":{}}],
               "tolerations":[{"key":"a","operator":"Exists"}]}}}}
            """;
        var patch = """
            {"spec":{"replicas":3,"template":{"spec":{
               "containers":[{"name":"nginx","image":"nginx:1.27","env":[{"name":"B","value":"changed"},{"name":"C","value":"3"}],
                              "ports":[{"containerPort":443}]}],
               "tolerations":[{"key":"b","operator":"Exists"}]}}}}
            """;

        var result = StrategicMergePatch.Apply(JsonNode.Parse(original), JsonNode.Parse(patch), schema);

        JsonAssert.Equal("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"}},
             "spec":{"replicas":3,"template":{"metadata":{"labels":{"app":"web"}},"spec":{
               "containers":[
                 {"name":"nginx","image":"nginx:1.27","env":[{"name":"A","value":"1"},{"name":"B","value":"changed"},{"name":"C","value":"3"}],
                  "ports":[{"containerPort":443},{"containerPort":80,"protocol":"TCP"}]},
                 {"name":"sidecar","image":"busybox"}],
               "volumes":[{"name":"data","emptyDir":{}}],
               "tolerations":[{"key":"b","operator":"Exists"}]}}}}
            """, result);
    }

    [Fact]
    public void Apply_KubectlApplyStylePatch_OrderFromSetElementOrder()
    {
        var schema = PatchSchemas.ForKind("v1", "Pod")!;
        var original = """{"spec":{"containers":[{"name":"a","image":"a:1"},{"name":"b","image":"b:1"}]}}""";
        var patch = """
            {"spec":{"$setElementOrder/containers":[{"name":"b"},{"name":"c"}],
                     "containers":[{"name":"c","image":"c:1"},{"name":"a","$patch":"delete"}]}}
            """;

        JsonAssert.Equal("""{"spec":{"containers":[{"name":"b","image":"b:1"},{"name":"c","image":"c:1"}]}}""",
            StrategicMergePatch.Apply(JsonNode.Parse(original), JsonNode.Parse(patch), schema));
    }

    [Fact]
    public void Apply_FinalizersAndOwnerReferences_MergeAsUpstreamObjectMeta()
    {
        var schema = PatchSchemas.ForKind("v1", "ConfigMap")!;
        var original = """{"metadata":{"finalizers":["a.io/x"],"ownerReferences":[{"uid":"1","name":"o1"}]}}""";
        var patch = """{"metadata":{"finalizers":["b.io/y","a.io/x"],"ownerReferences":[{"uid":"2","name":"o2"}]}}""";

        JsonAssert.Equal("""{"metadata":{"finalizers":["b.io/y","a.io/x"],"ownerReferences":[{"uid":"2","name":"o2"},{"uid":"1","name":"o1"}]}}""",
            StrategicMergePatch.Apply(JsonNode.Parse(original), JsonNode.Parse(patch), schema));
    }

    [Fact]
    public void Apply_ServicePorts_MergeByPort()
    {
        var schema = PatchSchemas.ForKind("v1", "Service")!;
        var original = """{"spec":{"ports":[{"port":80,"targetPort":8080},{"port":443}]}}""";
        var patch = """{"spec":{"ports":[{"port":80,"targetPort":9090}]}}""";

        JsonAssert.Equal("""{"spec":{"ports":[{"port":80,"targetPort":9090},{"port":443}]}}""",
            StrategicMergePatch.Apply(JsonNode.Parse(original), JsonNode.Parse(patch), schema));
    }

    [Fact]
    public void Apply_PodStatusConditions_MergeByType()
    {
        var schema = PatchSchemas.ForKind("v1", "Pod")!;
        var original = """{"status":{"conditions":[{"type":"Ready","status":"False"},{"type":"PodScheduled","status":"True"}]}}""";
        var patch = """{"status":{"conditions":[{"type":"Ready","status":"True"}]}}""";

        JsonAssert.Equal("""{"status":{"conditions":[{"type":"Ready","status":"True"},{"type":"PodScheduled","status":"True"}]}}""",
            StrategicMergePatch.Apply(JsonNode.Parse(original), JsonNode.Parse(patch), schema));
    }

    [Theory]
    [InlineData("""{"mergingList":[{"value":"1"}]}""", "map: map[value:1] does not contain declared merge key: name")]
    [InlineData("""{"mergingList":[{"name":"1","$patch":"merge"}]}""", "merging lists cannot yet be specified in the patch")]
    [InlineData("""{"mergingList":[{"name":"1","$patch":"explode"}]}""", "unknown patch type: explode in map: map[$patch:explode name:1]")]
    [InlineData("""{"$patch":"explode"}""", "unknown patch type: explode in map: map[$patch:explode]")]
    [InlineData("""{"retainKeysMap":{"$retainKeys":["name"],"value":"x"}}""", "invalid patch format of retainKeys")]
    [InlineData("""{"$deleteFromPrimitiveListmergingIntList":[1]}""", "invalid patch format of primitive list")]
    [InlineData("""{"mergingIntList":[[1]]}""", "list element types are not identical: [[1 2] [[1]]]")]
    [InlineData("""{"mergingIntList":[1,"a"]}""", "list element types are not identical: [[1 2] [1 a]]")]
    public void Apply_InvalidPatch_UpstreamMessage(string patch, string message)
    {
        var original = """{"mergingList":[{"name":"0"}],"mergingIntList":[1,2],"retainKeysMap":{"name":"a"}}""";
        var error = Assert.Throws<PatchException>(() => Apply(original, patch));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Apply_ListOfLists_Refused()
    {
        var error = Assert.Throws<PatchException>(() => Apply("""{"mergingIntList":[[1]]}""", """{"mergingIntList":[[2]]}"""));
        Assert.Equal("lists of lists are not supported", error.Message);
    }

    [Fact]
    public void ForKind_CustomResource_NotSupported()
    {
        Assert.Null(PatchSchemas.ForKind("example.com/v1", "Widget"));
        Assert.False(PatchSchemas.SupportsStrategicMerge("example.com/v1", "Widget"));
        Assert.True(PatchSchemas.SupportsStrategicMerge("networking.k8s.io/v1", "Ingress"));
        Assert.True(PatchSchemas.SupportsStrategicMerge("batch/v1", "CronJob"));
    }

    [Fact]
    public void Apply_DoesNotMutateInputs()
    {
        var original = JsonNode.Parse("""{"mergingList":[{"name":"1"}]}""");
        var patch = JsonNode.Parse("""{"mergingList":[{"name":"2"}]}""");
        Apply(original!.ToJsonString(), patch!.ToJsonString());
        StrategicMergePatch.Apply(original, patch, _item);
        JsonAssert.Equal("""{"mergingList":[{"name":"1"}]}""", original);
        JsonAssert.Equal("""{"mergingList":[{"name":"2"}]}""", patch);
    }
}
