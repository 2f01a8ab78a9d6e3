using System.Text.Json.Nodes;
using Timonel.ApiServer.Auth.Node;

namespace Timonel.ApiServer.Tests.Auth.Node;

public sealed class NodeGraphTests
{
    [Fact]
    public void HasPath_PodBoundToNode_RelatesEveryKindOfReference()
    {
        var graph = new NodeGraph();

        graph.SetPod(Pod("web", "n1"));

        Assert.True(graph.HasPath("n1", VertexType.Pod, "default", "web"));
        Assert.True(graph.HasPath("n1", VertexType.ServiceAccount, "default", "robot"));
        Assert.True(graph.HasPath("n1", VertexType.Secret, "default", "pull"));
        Assert.True(graph.HasPath("n1", VertexType.Secret, "default", "mounted"));
        Assert.True(graph.HasPath("n1", VertexType.Secret, "default", "projected"));
        Assert.True(graph.HasPath("n1", VertexType.Secret, "default", "env-secret"));
        Assert.True(graph.HasPath("n1", VertexType.Secret, "default", "envfrom-secret"));
        Assert.True(graph.HasPath("n1", VertexType.ConfigMap, "default", "settings"));
        Assert.True(graph.HasPath("n1", VertexType.ConfigMap, "default", "env-config"));
        Assert.True(graph.HasPath("n1", VertexType.PersistentVolumeClaim, "default", "data"));
        Assert.True(graph.HasPath("n1", VertexType.PersistentVolumeClaim, "default", "web-scratch"));
    }

    [Fact]
    public void HasPath_OtherNodeOrObject_NoRelationship()
    {
        var graph = new NodeGraph();

        graph.SetPod(Pod("web", "n1"));

        Assert.False(graph.HasPath("n2", VertexType.Secret, "default", "mounted"));
        Assert.False(graph.HasPath("n1", VertexType.Secret, "default", "unrelated"));
        Assert.False(graph.HasPath("n1", VertexType.Secret, "other", "mounted"));
        Assert.False(graph.HasPath("n1", VertexType.ConfigMap, "default", "mounted"));
    }

    [Fact]
    public void SetPod_Unscheduled_RelatesNothing()
    {
        var graph = new NodeGraph();

        graph.SetPod(Pod("web", null));

        Assert.False(graph.HasPath("n1", VertexType.Secret, "default", "mounted"));
    }

    [Fact]
    public void SetPod_Scheduled_RelatesTheNode()
    {
        var graph = new NodeGraph();
        graph.SetPod(Pod("web", null));

        graph.SetPod(Pod("web", "n1"));

        Assert.True(graph.HasPath("n1", VertexType.Secret, "default", "mounted"));
    }

    [Fact]
    public void RemovePod_LastPodReferringToSecret_SecretNoLongerReachable()
    {
        var graph = new NodeGraph();
        graph.SetPod(Pod("web", "n1"));
        graph.SetPod(Pod("api", "n1"));

        graph.RemovePod(Pod("web", "n1"));
        var afterFirst = graph.HasPath("n1", VertexType.Secret, "default", "mounted");
        graph.RemovePod(Pod("api", "n1"));

        Assert.True(afterFirst);
        Assert.False(graph.HasPath("n1", VertexType.Secret, "default", "mounted"));
        Assert.False(graph.HasPath("n1", VertexType.Pod, "default", "web"));
    }

    [Fact]
    public void SetPod_SameNameOnAnotherNode_MovesTheRelationship()
    {
        var graph = new NodeGraph();
        graph.SetPod(Pod("web", "n1"));

        // A pod deleted and created again under its name, bound elsewhere.
        graph.SetPod(Pod("web", "n2"));

        Assert.False(graph.HasPath("n1", VertexType.Secret, "default", "mounted"));
        Assert.True(graph.HasPath("n2", VertexType.Secret, "default", "mounted"));
    }

    [Fact]
    public void HasPath_VolumeBoundToPodsClaim_VolumeAndItsSecretReachable()
    {
        var graph = new NodeGraph();
        graph.SetPod(Pod("web", "n1"));

        graph.SetPersistentVolume(Volume("pv-data", "data"));
        graph.SetPersistentVolume(Volume("pv-other", "other-claim"));

        Assert.True(graph.HasPath("n1", VertexType.PersistentVolume, "", "pv-data"));
        Assert.True(graph.HasPath("n1", VertexType.Secret, "kube-system", "csi-creds"));
        Assert.False(graph.HasPath("n1", VertexType.PersistentVolume, "", "pv-other"));
        Assert.False(graph.HasPath("n2", VertexType.PersistentVolume, "", "pv-data"));
    }

    [Fact]
    public void RemovePersistentVolume_ItsSecretNoLongerReachable()
    {
        var graph = new NodeGraph();
        graph.SetPod(Pod("web", "n1"));
        graph.SetPersistentVolume(Volume("pv-data", "data"));

        graph.RemovePersistentVolume(Volume("pv-data", "data"));

        Assert.False(graph.HasPath("n1", VertexType.Secret, "kube-system", "csi-creds"));
        Assert.False(graph.HasPath("n1", VertexType.PersistentVolume, "", "pv-data"));
    }

    internal static JsonObject Pod(string name, string? node, string ns = "default")
    {
        var pod = JsonNode.Parse($$"""
            {
              "metadata": { "name": "{{name}}", "namespace": "{{ns}}" },
              "spec": {
                "serviceAccountName": "robot",
                "imagePullSecrets": [ { "name": "pull" } ],
                "containers": [ {
                  "name": "c",
                  "image": "nginx",
                  "env": [
                    { "name": "A", "valueFrom": { "secretKeyRef": { "name": "env-secret", "key": "k" } } },
                    { "name": "B", "valueFrom": { "configMapKeyRef": { "name": "env-config", "key": "k" } } }
                  ],
                  "envFrom": [ { "secretRef": { "name": "envfrom-secret" } } ]
                } ],
                "volumes": [
                  { "name": "s", "secret": { "secretName": "mounted" } },
                  { "name": "c", "configMap": { "name": "settings" } },
                  { "name": "p", "projected": { "sources": [ { "secret": { "name": "projected" } } ] } },
                  { "name": "d", "persistentVolumeClaim": { "claimName": "data" } },
                  { "name": "scratch", "ephemeral": { "volumeClaimTemplate": { "spec": { "accessModes": [ "ReadWriteOnce" ], "resources": { "requests": { "storage": "1Gi" } } } } } }
                ]
              }
            }
            """)!.AsObject();
        if (node is not null)
        {
            pod["spec"]!["nodeName"] = node;
        }

        return pod;
    }

    private static JsonObject Volume(string name, string claim) => JsonNode.Parse($$"""
        {
          "metadata": { "name": "{{name}}" },
          "spec": {
            "claimRef": { "namespace": "default", "name": "{{claim}}" },
            "csi": { "driver": "d", "volumeHandle": "h", "nodePublishSecretRef": { "namespace": "kube-system", "name": "csi-creds" } }
          }
        }
        """)!.AsObject();
}
