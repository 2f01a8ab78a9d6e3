using k8s.Models;
using Timonel.Client.Informers;

namespace Timonel.Client.Tests.Informers;

public sealed class InformerCacheTests
{
    private readonly InformerCache<V1Pod> _pods = new();

    [Fact]
    public void List_Namespace_OnlyThatNamespacesObjects()
    {
        _pods.Upsert(Pod("a", "ns-1"));
        _pods.Upsert(Pod("b", "ns-2"));
        _pods.Upsert(Pod("c", "ns-1"));

        Assert.Equal(["a", "c"], Names(_pods.List("ns-1")));
        Assert.Equal(["a", "c"], Names(_pods.ByIndex(Indexers.NamespaceIndex, "ns-1")));
    }

    [Fact]
    public void ByIndex_PodNodeName_FollowsPodsAsTheyAreBoundMovedAndRemoved()
    {
        _pods.AddIndexer(Indexers.PodNodeNameIndex, Indexers.PodNodeName);
        _pods.Upsert(Pod("a", node: "node-1"));
        _pods.Upsert(Pod("b", node: "node-1"));
        _pods.Upsert(Pod("pending"));

        _pods.Upsert(Pod("b", node: "node-2"));
        _pods.Remove(Pod("a"));

        Assert.Empty(_pods.ByIndex(Indexers.PodNodeNameIndex, "node-1"));
        Assert.Equal(["b"], Names(_pods.ByIndex(Indexers.PodNodeNameIndex, "node-2")));
        Assert.Empty(_pods.ByIndex(Indexers.PodNodeNameIndex, ""));
    }

    [Fact]
    public void AddIndexer_ObjectsAlreadyCached_IndexedAtOnce()
    {
        _pods.Upsert(Pod("a", node: "node-1"));

        _pods.AddIndexer(Indexers.PodNodeNameIndex, Indexers.PodNodeName);

        Assert.Equal(["a"], Names(_pods.ByIndex(Indexers.PodNodeNameIndex, "node-1")));
    }

    [Fact]
    public void ByIndex_OwnerUid_FindsAnObjectByEachOfItsOwners()
    {
        _pods.AddIndexer(Indexers.OwnerUidIndex, Indexers.OwnerUid);
        var owned = Pod("a");
        owned.Metadata.OwnerReferences = [Owner("rs-uid"), Owner("other-uid")];
        _pods.Upsert(owned);
        _pods.Upsert(Pod("orphan"));

        Assert.Equal(["a"], Names(_pods.ByIndex(Indexers.OwnerUidIndex, "rs-uid")));
        Assert.Equal(["a"], Names(_pods.ByIndex(Indexers.OwnerUidIndex, "other-uid")));
    }

    [Fact]
    public void AddIndexer_SameNameAndFunctionTwice_Harmless()
    {
        _pods.AddIndexer(Indexers.PodNodeNameIndex, Indexers.PodNodeName);
        _pods.AddIndexer(Indexers.PodNodeNameIndex, Indexers.PodNodeName);
        _pods.Upsert(Pod("a", node: "node-1"));

        Assert.Single(_pods.ByIndex(Indexers.PodNodeNameIndex, "node-1"));
    }

    [Fact]
    public void AddIndexer_SameNameOtherFunction_Throws()
    {
        _pods.AddIndexer("by-node", Indexers.PodNodeName);

        var ex = Assert.Throws<InvalidOperationException>(() => _pods.AddIndexer("by-node", pod => [pod.Spec.NodeName]));

        Assert.Contains("indexer conflict", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ByIndex_UnknownIndex_ThrowsAsClientGo()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => _pods.ByIndex("nope", "x"));

        Assert.Equal("Index with name nope does not exist", ex.Message);
    }

    private static V1Pod Pod(string name, string ns = "default", string? node = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1PodSpec { NodeName = node },
    };

    private static V1OwnerReference Owner(string uid) => new() { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = uid, Uid = uid };

    private static IEnumerable<string> Names(IEnumerable<V1Pod> pods) => pods.Select(p => p.Metadata.Name).Order(StringComparer.Ordinal);
}
