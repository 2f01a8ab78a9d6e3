using System.Text;
using System.Text.Json.Nodes;
using Timonel.ApiServer.Watch;

namespace Timonel.ApiServer.Tests.Watch;

public sealed class StoredObjectTests
{
    [Theory]
    [InlineData("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","labels":{"x":"y"}},"data":{"k":"v"}}""")]
    [InlineData("""{"kind":"Namespace","metadata":{}}""")]
    [InlineData("""{"kind":"Pod","spec":{"metadata":{"name":"not-this-one"}},"metadata":{"name":"p","annotations":{"metadata":"{\"resourceVersion\":\"1\"}"}}}""")]
    [InlineData("""{ "kind" : "Pod", "metadata" : { } }""")]
    [InlineData("""{"kind":"Pod"}""")]
    [InlineData("""{"kind":"Pod","metadata":{"name":"p","resourceVersion":"3"}}""")]
    public void WithResourceVersion_AnyStoredShape_ServesTheObjectWithOnlyTheGivenVersion(string stored)
    {
        var served = StoredObject.WithResourceVersion(Encoding.UTF8.GetBytes(stored), 42);

        var expected = (JsonObject)JsonNode.Parse(stored)!;
        StoredObject.SetResourceVersion(expected, 42);
        var actual = JsonNode.Parse(served)!;
        Assert.True(JsonNode.DeepEquals(expected, actual), Encoding.UTF8.GetString(served));
        Assert.Single(Encoding.UTF8.GetString(served).Split("\"resourceVersion\"").Skip(1));
    }

    [Fact]
    public void WithResourceVersion_WhatEncodeStored_RoundTripsThroughDecode()
    {
        var obj = (JsonObject)JsonNode.Parse("""{"kind":"ConfigMap","metadata":{"name":"a","resourceVersion":"7","uid":"u"},"data":{"k":"v"}}""")!;

        var stored = StoredObject.Encode(obj);
        var served = (JsonObject)JsonNode.Parse(StoredObject.WithResourceVersion(stored, 9))!;

        Assert.Equal("9", served["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Equal("u", served["metadata"]!["uid"]!.GetValue<string>());
        Assert.Equal("v", served["data"]!["k"]!.GetValue<string>());
    }
}
