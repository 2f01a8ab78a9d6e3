using System.Text.Json.Nodes;
using Timonel.ApiServer.Endpoints.Subresources;

namespace Timonel.ApiServer.Tests.Endpoints.Subresources;

/// <summary>The autoscaling/v1 Scale a scalable object is served as.</summary>
public sealed class ScaleSubresourceTests
{
    [Theory]
    [InlineData("""{"kind":"ReplicationController","apiVersion":"v1","spec":{"replicas":2,"selector":{"app":"web","tier":"front"}}}""", "app=web,tier=front")]
    [InlineData("""{"kind":"ReplicaSet","apiVersion":"apps/v1","spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}}}}""", "app=web")]
    [InlineData("""{"kind":"Deployment","apiVersion":"apps/v1","spec":{"replicas":2,"selector":{"matchExpressions":[{"key":"app","operator":"In","values":["a","b"]}]}}}""", "app in (a,b)")]
    public void ScaleOf_SelectorOfEachKind_IsALabelSelectorString(string obj, string selector)
    {
        var scale = ScaleSubresource.ScaleOf(JsonNode.Parse(obj)!.AsObject());

        Assert.Equal(selector, scale["status"]!["selector"]!.GetValue<string>());
        Assert.Equal(2, scale["spec"]!["replicas"]!.GetValue<long>());
    }
}
