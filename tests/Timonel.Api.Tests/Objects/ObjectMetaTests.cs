using System.Text.Json.Nodes;
using Timonel.Api.Objects;

namespace Timonel.Api.Tests.Objects;

public sealed class ObjectMetaTests
{
    [Fact]
    public void Accessors_ReadFields()
    {
        var obj = JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"rs","namespace":"default","uid":"u1",
             "resourceVersion":"42","generation":3,"deletionTimestamp":"2024-01-01T00:00:00Z",
             "labels":{"app":"web"},"annotations":{"a":"b"},"finalizers":["x.io/f"],
             "ownerReferences":[{"apiVersion":"apps/v1","kind":"Deployment","name":"d","uid":"u0","controller":true}]}}
            """)!.AsObject();
        var meta = new ObjectMeta(obj);

        Assert.Equal("rs", meta.Name);
        Assert.Equal("default", meta.Namespace);
        Assert.Equal("u1", meta.Uid);
        Assert.Equal("42", meta.ResourceVersion);
        Assert.Equal(3, meta.Generation);
        Assert.Equal("2024-01-01T00:00:00Z", meta.DeletionTimestamp);
        Assert.Equal("web", meta.Labels["app"]);
        Assert.Equal("b", meta.Annotations["a"]);
        Assert.Equal(["x.io/f"], meta.Finalizers);
        Assert.Equal(new OwnerReference("apps/v1", "Deployment", "d", "u0", true), meta.ControllerReference);
        Assert.Equal(new GroupVersionKind("apps", "v1", "ReplicaSet"), KubeObject.GetGroupVersionKind(obj));
    }

    [Fact]
    public void Setters_CreateMetadataAndRemoveOnNull()
    {
        var obj = new JsonObject();
        var meta = new ObjectMeta(obj);

        meta.Name = "a";
        meta.Generation = 1;
        meta.SetLabel("app", "web");
        Assert.True(meta.AddFinalizer("x.io/f"));
        Assert.False(meta.AddFinalizer("x.io/f"));
        meta.SetOwnerReferences([new OwnerReference("v1", "Pod", "p", "u")]);
        Assert.Equal("""{"metadata":{"name":"a","generation":1,"labels":{"app":"web"},"finalizers":["x.io/f"],"ownerReferences":[{"apiVersion":"v1","kind":"Pod","name":"p","uid":"u"}]}}""", obj.ToJsonString());

        meta.Name = null;
        meta.SetLabel("app", null);
        Assert.True(meta.RemoveFinalizer("x.io/f"));
        meta.SetOwnerReferences([]);
        Assert.Equal("""{"metadata":{"generation":1}}""", obj.ToJsonString());
    }

    [Fact]
    public void Reads_MissingMetadata_Defaults()
    {
        var meta = new ObjectMeta(new JsonObject());
        Assert.Null(meta.Name);
        Assert.Equal(0, meta.Generation);
        Assert.Empty(meta.Labels);
        Assert.Empty(meta.Finalizers);
        Assert.Null(meta.ControllerReference);
    }

    [Theory]
    [InlineData("v1", "Pod", "", "v1", "/v1, Kind=Pod", "Pod")]
    [InlineData("apps/v1", "Deployment", "apps", "v1", "apps/v1, Kind=Deployment", "Deployment.apps")]
    [InlineData("networking.k8s.io/v1", "Ingress", "networking.k8s.io", "v1", "networking.k8s.io/v1, Kind=Ingress", "Ingress.networking.k8s.io")]
    public void GroupVersionKind_FromApiVersionAndKind(string apiVersion, string kind, string group, string version, string rendered, string groupKind)
    {
        var gvk = GroupVersionKind.FromApiVersionAndKind(apiVersion, kind);
        Assert.Equal(group, gvk.Group);
        Assert.Equal(version, gvk.Version);
        Assert.Equal(apiVersion, gvk.ApiVersion);
        Assert.Equal(rendered, gvk.ToString());
        Assert.Equal(groupKind, gvk.GroupKind.ToString());
    }

    [Fact]
    public void GroupVersion_Parse_TooManySlashes_Throws()
    {
        Assert.Throws<FormatException>(() => GroupVersion.Parse("a/b/c"));
        Assert.Equal("deployments.apps", new GroupVersionResource("apps", "v1", "deployments").GroupResource.ToString());
    }
}
