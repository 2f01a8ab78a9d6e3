using k8s.Models;
using Timonel.Controllers.History;
using Xunit;

namespace Timonel.Controllers.Tests.History;

public sealed class ControllerRevisionsTests
{
    private static readonly V1ObjectMeta _owner = new() { Name = "web", NamespaceProperty = "ns", Uid = "u1" };
    private static readonly V1OwnerReference _reference = new() { ApiVersion = "apps/v1", Kind = "DaemonSet", Name = "web", Uid = "u1", Controller = true, BlockOwnerDeletion = true };

    [Fact]
    public void TemplatePatch_PodTemplate_ReplacesSpecTemplateWithDirectiveFirst()
    {
        var patch = ControllerRevisions.TemplatePatch(Template("nginx:1"));

        Assert.Equal(
            """{"spec":{"template":{"$patch":"replace","metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"image":"nginx:1","name":"c"}]}}}}""",
            patch.ToJsonString());
    }

    [Fact]
    public void New_Template_NamedAfterParentAndHashLabelledOwned()
    {
        var revision = ControllerRevisions.New(_owner, _reference, new Dictionary<string, string> { ["app"] = "web" }, ControllerRevisions.TemplatePatch(Template("nginx:1")), 3, null);

        var hash = revision.Metadata.Labels[ControllerRevisions.HashLabel];
        Assert.Equal("web-" + hash, revision.Metadata.Name);
        Assert.Equal("web", revision.Metadata.Labels["app"]);
        Assert.Equal(3, revision.Revision);
        Assert.Equal("u1", Assert.Single(revision.Metadata.OwnerReferences).Uid);
        Assert.Matches("^[bcdfghjklmnpqrstvwxz2456789]+$", hash);
    }

    [Fact]
    public void Hash_DifferentTemplateOrCollisionCount_Differs()
    {
        var one = ControllerRevisions.TemplatePatch(Template("nginx:1"));
        var two = ControllerRevisions.TemplatePatch(Template("nginx:2"));

        Assert.Equal(ControllerRevisions.Hash(one, null), ControllerRevisions.Hash(ControllerRevisions.TemplatePatch(Template("nginx:1")), null));
        Assert.NotEqual(ControllerRevisions.Hash(one, null), ControllerRevisions.Hash(two, null));
        Assert.NotEqual(ControllerRevisions.Hash(one, null), ControllerRevisions.Hash(one, 1));
    }

    [Fact]
    public void Name_LongParent_TruncatedTo223()
    {
        Assert.Equal(new string('a', 223) + "-h", ControllerRevisions.Name(new string('a', 300), "h"));
    }

    [Fact]
    public void Equal_SameDataDifferentRevision_True()
    {
        var data = ControllerRevisions.TemplatePatch(Template("nginx:1"));
        var left = ControllerRevisions.New(_owner, _reference, null, data, 1, null);
        var right = ControllerRevisions.New(_owner, _reference, null, ControllerRevisions.TemplatePatch(Template("nginx:1")), 2, null);
        var other = ControllerRevisions.New(_owner, _reference, null, ControllerRevisions.TemplatePatch(Template("nginx:2")), 3, null);

        Assert.True(ControllerRevisions.Equal(left, right));
        Assert.False(ControllerRevisions.Equal(left, other));
        Assert.Equal([left, right], ControllerRevisions.FindEqual([left, other, right], left));
    }

    [Fact]
    public void SortedAndMaxRevision_ByNumberThenName()
    {
        V1ControllerRevision Revision(string name, long number) => new() { Metadata = new V1ObjectMeta { Name = name }, Revision = number };
        var revisions = new[] { Revision("c", 2), Revision("b", 1), Revision("a", 2) };

        Assert.Equal(["b", "a", "c"], ControllerRevisions.Sorted(revisions).Select(r => r.Metadata.Name));
        Assert.Equal(2, ControllerRevisions.MaxRevision(revisions));
        Assert.Equal(0, ControllerRevisions.MaxRevision([]));
    }

    private static V1PodTemplateSpec Template(string image) => new()
    {
        Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = image }] },
    };
}
