using System.Text.Json.Nodes;
using Timonel.Api.Protobuf;

namespace Timonel.Protobuf.Tests;

/// <summary>Objects richer than kubectl's generators send: whatever the JSON says must survive Encode then
/// Decode (the decoded form may add Go's zero values), and a second trip must give the same bytes.</summary>
public sealed class KubernetesProtobufRoundTripTests
{
    public static TheoryData<string> Objects => new()
    {
        // Pod: inline VolumeSource and ProbeHandler, Quantity maps, IntOrString, pointers, tolerations.
        """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"default","labels":{"app":"web"},
         "creationTimestamp":"2024-01-02T03:04:05Z","deletionGracePeriodSeconds":0,
         "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"rs","uid":"u1","controller":true}]},
         "spec":{"containers":[{"name":"c","image":"nginx","args":["-g","daemon off;"],
           "ports":[{"containerPort":80,"protocol":"TCP"}],
           "resources":{"limits":{"cpu":"500m","memory":"128Mi"},"requests":{"cpu":"100m"}},
           "livenessProbe":{"httpGet":{"path":"/","port":"http"},"initialDelaySeconds":3,"periodSeconds":10},
           "readinessProbe":{"tcpSocket":{"port":80}},
           "env":[{"name":"A","value":"1"},{"name":"POD","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}}],
           "volumeMounts":[{"name":"data","mountPath":"/data"}]}],
          "volumes":[{"name":"data","emptyDir":{"sizeLimit":"1Gi"}},{"name":"cfg","configMap":{"name":"cm","defaultMode":420}}],
          "terminationGracePeriodSeconds":30,"enableServiceLinks":false,
          "tolerations":[{"key":"k","operator":"Exists","effect":"NoSchedule","tolerationSeconds":60}],
          "affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[
            {"matchExpressions":[{"key":"zone","operator":"In","values":["a","b"]}]}]}}}},
         "status":{"phase":"Running","podIP":"10.42.0.5","startTime":"2024-01-02T03:04:06Z"}}
        """,
        // CRD: the apiextensions schema unions and raw JSON values.
        """
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"widgets.example.com"},
         "spec":{"group":"example.com","scope":"Namespaced","names":{"plural":"widgets","kind":"Widget"},
          "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object",
            "properties":{"spec":{"type":"object","required":["size"],"properties":{
              "size":{"type":"integer","minimum":1,"maximum":10.5,"default":3},
              "mode":{"type":"string","enum":["a","b"]},
              "port":{"x-kubernetes-int-or-string":true},
              "tags":{"type":"array","items":{"type":"string"}},
              "extra":{"type":"object","additionalProperties":{"type":"string"}},
              "free":{"type":"object","additionalProperties":false,"x-kubernetes-preserve-unknown-fields":true}}}}}}}]}}
        """,
        // Lease: MicroTime and pointers.
        """
        {"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"l"},
         "spec":{"holderIdentity":"node-1","leaseDurationSeconds":40,"renewTime":"2024-01-02T03:04:05.123456Z"}}
        """,
        // ConfigMap with managedFields: FieldsV1 travels as raw JSON, Time as seconds.
        """
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"owned","namespace":"default",
         "managedFields":[{"manager":"kubectl","operation":"Apply","apiVersion":"v1","time":"2024-01-02T03:04:05Z",
           "fieldsType":"FieldsV1","fieldsV1":{"f:data":{".":{},"f:k:{\"a\":1}":{}}}},
          {"manager":"kubectl","operation":"Update","apiVersion":"v1","time":"2024-01-02T03:04:06Z",
           "fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:labels":{}}},"subresource":"status"}]},
         "data":{"a":"1"}}
        """,
        // Role: rules whose verbs are not omitempty.
        """
        {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"r"},
         "rules":[{"verbs":["get"],"apiGroups":[""],"resources":["pods"]}]}
        """,
    };

    [Theory]
    [MemberData(nameof(Objects))]
    public void EncodeThenDecode_KeepsEveryJsonValue(string json)
    {
        var original = JsonNode.Parse(json)!.AsObject();

        var decoded = KubernetesProtobuf.Decode(KubernetesProtobuf.Encode(original));

        AssertContains(original, decoded, "$");
    }

    [Theory]
    [MemberData(nameof(Objects))]
    public void Encode_OfDecodedForm_GivesSameBytes(string json)
    {
        var first = KubernetesProtobuf.Encode(JsonNode.Parse(json)!.AsObject());

        var second = KubernetesProtobuf.Encode(KubernetesProtobuf.Decode(first));

        Assert.Equal(Convert.ToHexString(first), Convert.ToHexString(second));
    }

    [Theory]
    [InlineData(100, false)]
    [InlineData(2000, true)]
    public void Decode_SchemaNestedPastTheLimit_IsRefusedNotOverflowed(int levels, bool refused)
    {
        // A CRD whose schema nests "not" schemas: each level is one more message to decode.
        JsonNode schema = new JsonObject { ["type"] = "string" };
        for (var i = 0; i < levels; i++)
        {
            schema = new JsonObject { ["not"] = schema };
        }

        var crd = JsonNode.Parse("""
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"ws.example.com"},
             "spec":{"group":"example.com","scope":"Namespaced","names":{"plural":"ws","kind":"W"},
                     "versions":[{"name":"v1","served":true,"storage":true,"schema":{}}]}}
            """)!.AsObject();
        crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"] = schema;
        var body = KubernetesProtobuf.Encode(crd);

        if (refused)
        {
            Assert.Equal("exceeded max depth of 512", Assert.Throws<KubernetesProtobufException>(() => KubernetesProtobuf.Decode(body)).Message);
        }
        else
        {
            Assert.NotNull(KubernetesProtobuf.Decode(body)["spec"]);
        }
    }

    [Fact]
    public void Encode_UnknownKind_Throws() =>
        Assert.Throws<KubernetesProtobufException>(() => KubernetesProtobuf.Encode(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Nope" }));

    /// <summary>Every value of <paramref name="expected"/> is in <paramref name="actual"/>; objects may have more.</summary>
    private static void AssertContains(JsonNode? expected, JsonNode? actual, string path)
    {
        switch (expected)
        {
            case JsonObject expectedObject:
                var actualObject = Assert.IsType<JsonObject>(actual);
                foreach (var (name, value) in expectedObject)
                {
                    Assert.True(actualObject.ContainsKey(name), $"{path}.{name} is missing from {actual!.ToJsonString()}");
                    AssertContains(value, actualObject[name], $"{path}.{name}");
                }
                break;
            case JsonArray expectedArray:
                var actualArray = Assert.IsType<JsonArray>(actual);
                Assert.True(expectedArray.Count == actualArray.Count, $"{path} has {actualArray.Count} items, expected {expectedArray.Count}");
                for (var i = 0; i < expectedArray.Count; i++)
                {
                    AssertContains(expectedArray[i], actualArray[i], $"{path}[{i}]");
                }
                break;
            default:
                Assert.True(JsonNode.DeepEquals(expected, actual), $"{path}: expected {expected?.ToJsonString()}, got {actual?.ToJsonString()}");
                break;
        }
    }
}
