using System.Text.Json.Nodes;
using Timonel.Api.Protobuf;
using static Timonel.Protobuf.Tests.Wire;

namespace Timonel.Protobuf.Tests;

public sealed class KubernetesProtobufDecodeTests
{
    // Field numbers below are from k8s.io/api core/v1 and apimachinery meta/v1 generated.proto.
    private static byte[] Metadata(params byte[][] fields) => Field(1, fields.SelectMany(f => f).ToArray());

    [Theory]
    [InlineData("application/vnd.kubernetes.protobuf", true)]
    [InlineData("application/vnd.kubernetes.protobuf; charset=utf-8", true)]
    [InlineData("Application/VND.Kubernetes.Protobuf", true)]
    [InlineData("application/vnd.kubernetes.protobuf;stream=watch", true)]
    [InlineData("application/json", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsProtobuf_MediaType_MatchesOnlyKubernetesProtobuf(string? mediaType, bool expected) =>
        Assert.Equal(expected, KubernetesProtobuf.IsProtobuf(mediaType));

    [Fact]
    public void Decode_EmptyNamespace_HasGoJsonZeroValues()
    {
        var decoded = KubernetesProtobuf.Decode(Envelope("v1", "Namespace", Metadata(Field(1, "foo"))));

        Assert.Equal("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"foo","creationTimestamp":null},"spec":{},"status":{}}""", decoded.ToJsonString());
    }

    [Theory]
    [InlineData(0L, 0)]
    [InlineData(300L, 300)]
    [InlineData(2147483647L, 2147483647)]
    [InlineData(-1L, -1)] // a negative int32 is a sign-extended 10-byte varint
    public void Decode_Int32Varint_KeepsValue(long wire, int expected)
    {
        // ContainerPort.containerPort = 3 is a value int32 without omitempty.
        var decoded = Decode("v1", "Pod", Field(2, Field(2, Field(6, VarintField(3, wire)))));

        Assert.Equal(expected, decoded["spec"]!["containers"]![0]!["ports"]![0]!["containerPort"]!.GetValue<int>());
    }

    [Fact]
    public void Decode_PointerZero_IsKept_ValueZeroWithOmitEmpty_IsDropped()
    {
        // DeploymentSpec.replicas (1) is *int32; minReadySeconds (5) is int32 with omitempty.
        var decoded = Decode("apps/v1", "Deployment", Field(2, [.. VarintField(1, 0), .. VarintField(5, 0)]));

        Assert.Equal(0, decoded["spec"]!["replicas"]!.GetValue<int>());
        Assert.False(decoded["spec"]!.AsObject().ContainsKey("minReadySeconds"));
    }

    [Theory]
    [InlineData(0L, 0, null)]
    [InlineData(1700000000L, 0, "2023-11-14T22:13:20Z")]
    [InlineData(1700000000L, 123456789, "2023-11-14T22:13:20Z")] // Time keeps whole seconds
    public void Decode_Time_WritesRfc3339Seconds(long seconds, int nanos, string? expected)
    {
        var timestamp = seconds == 0 ? [] : (byte[])[.. VarintField(1, seconds), .. VarintField(2, nanos)];
        var decoded = Decode("v1", "Namespace", Metadata(Field(8, timestamp)));

        Assert.Equal(expected, decoded["metadata"]!["creationTimestamp"]?.GetValue<string>());
    }

    [Fact]
    public void Decode_MicroTime_WritesMicroseconds()
    {
        // events/v1 Event.eventTime (2) is a MicroTime; nanos are truncated to micros.
        var decoded = Decode("events.k8s.io/v1", "Event", Field(2, [.. VarintField(1, 1700000000), .. VarintField(2, 123456789)]));

        Assert.Equal("2023-11-14T22:13:20.123456Z", decoded["eventTime"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(1L, "1ns")]
    [InlineData(1500L, "1.5\u00b5s")]
    [InlineData(300_000_000L, "300ms")]
    [InlineData(1_500_000_000L, "1.5s")]
    [InlineData(90_000_000_000L, "1m30s")]
    [InlineData(3_600_000_000_000L, "1h0m0s")]
    [InlineData(-5_000_000_000L, "-5s")]
    public void GoDuration_FormatAndParse_MatchGoText(long nanoseconds, string expected)
    {
        // No kind of the covered groups holds a meta/v1 Duration, so the text form is tested directly.
        Assert.Equal(expected, GoDuration.Format(nanoseconds));
        Assert.Equal(nanoseconds, GoDuration.Parse(expected));
    }

    [Theory]
    [InlineData(0L, 8080L, "", "8080")]
    [InlineData(1L, 0L, "http", "\"http\"")]
    public void Decode_IntOrString_WritesNumberOrString(long type, long intVal, string strVal, string expectedJson)
    {
        // Service.spec (2) .ports (1) .targetPort (4).
        var intOrString = (byte[])[.. VarintField(1, type), .. VarintField(2, intVal), .. Field(3, strVal)];
        var decoded = Decode("v1", "Service", Field(2, Field(1, Field(4, intOrString))));

        Assert.Equal(expectedJson, decoded["spec"]!["ports"]![0]!["targetPort"]!.ToJsonString());
    }

    [Fact]
    public void Decode_QuantityMap_WritesSortedStrings()
    {
        // ResourceQuota.spec (2) .hard (1) is map<string, Quantity>; entries are key=1, value=2.
        var decoded = Decode("v1", "ResourceQuota", Field(2, [
            .. Field(1, [.. Field(1, "pods"), .. Field(2, Field(1, "10"))]),
            .. Field(1, [.. Field(1, "cpu"), .. Field(2, Field(1, "500m"))]),
        ]));

        Assert.Equal("""{"cpu":"500m","pods":"10"}""", decoded["spec"]!["hard"]!.ToJsonString());
    }

    [Fact]
    public void Decode_BytesMap_WritesBase64()
    {
        // Secret.data (2) is map<string, bytes>.
        var decoded = Decode("v1", "Secret", Field(2, [.. Field(1, "p"), .. Field(2, [0x71, 0x00, 0xFF])]));

        Assert.Equal("cQD/", decoded["data"]!["p"]!.GetValue<string>());
    }

    [Fact]
    public void Decode_MapEntryWithoutValue_HasZeroValue()
    {
        var decoded = Decode("v1", "ConfigMap", Field(2, Field(1, "empty")));

        Assert.Equal("""{"empty":""}""", decoded["data"]!.ToJsonString());
    }

    [Fact]
    public void Decode_RepeatedInt64_AcceptsPackedAndUnpacked()
    {
        // PodSpec.securityContext (14) .supplementalGroups (4) is repeated int64.
        var packed = Field(4, [.. Varint(1), .. Varint(1000)]);
        var unpacked = (byte[])[.. VarintField(4, 7)];
        var decoded = Decode("v1", "Pod", Field(2, Field(14, [.. packed, .. unpacked])));

        Assert.Equal("[1,1000,7]", decoded["spec"]!["securityContext"]!["supplementalGroups"]!.ToJsonString());
    }

    [Fact]
    public void Decode_RawExtension_EmbedsJson()
    {
        // apps/v1 ControllerRevision.data (2) is a RawExtension.
        var decoded = Decode("apps/v1", "ControllerRevision", Field(2, Field(1, """{"spec":{"x":1}}""")));

        Assert.Equal("""{"spec":{"x":1}}""", decoded["data"]!.ToJsonString());
    }

    [Fact]
    public void Decode_UnknownFieldNumbers_AreSkipped()
    {
        var decoded = Decode("v1", "ConfigMap", [.. Field(99, "future"), .. VarintField(98, 5), .. Metadata(Field(1, "c"))]);

        Assert.Equal("c", decoded["metadata"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void Decode_DeleteOptionsUnderAGroup_UsesMetaMessage()
    {
        // client-go sends DeleteOptions under the resource's group version; meta/v1 DeleteOptions.propagationPolicy = 4.
        var decoded = Decode("apps/v1", "DeleteOptions", Field(4, "Foreground"));

        Assert.Equal("""{"apiVersion":"apps/v1","kind":"DeleteOptions","propagationPolicy":"Foreground"}""", decoded.ToJsonString());
    }

    [Theory]
    [InlineData("v1", "NoSuchKind")]
    [InlineData("example.com/v1", "Widget")]
    public void Decode_UnknownKind_Throws(string apiVersion, string kind)
    {
        var error = Assert.Throws<KubernetesProtobufException>(() => KubernetesProtobuf.Decode(Envelope(apiVersion, kind)));

        Assert.Contains(kind, error.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x7B, 0x7D })] // "{}"
    [InlineData(new byte[] { 0x6B, 0x38, 0x73, 0x00, 0x0A, 0x05 })] // typeMeta longer than the body
    [InlineData(new byte[] { 0x6B, 0x38, 0x73, 0x00, 0x08, 0xFF })] // truncated varint
    public void Decode_MalformedBody_Throws(byte[] body) =>
        Assert.Throws<KubernetesProtobufException>(() => KubernetesProtobuf.Decode(body));

    private static JsonObject Decode(string apiVersion, string kind, params byte[][] fields) =>
        KubernetesProtobuf.Decode(Envelope(apiVersion, kind, fields));
}
