using System.Text.Json.Nodes;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Tests.Registry.Core;

public sealed class NamespaceStrategyTests
{
    [Fact]
    public void Create_Namespace_IsActiveWithFinalizerAndNameLabel()
    {
        var ns = StoreSteps.Create("", Examples.Parse("kind: Namespace\nmetadata: {name: team-a}\nstatus: {phase: Terminating}"), ns: null);

        Assert.Equal("{\"finalizers\":[\"kubernetes\"]}", JsonPath.Json(ns, "spec"));
        Assert.Equal("{\"phase\":\"Active\"}", JsonPath.Json(ns, "status"));
        Assert.Equal("{\"kubernetes.io/metadata.name\":\"team-a\"}", JsonPath.Json(ns, "metadata/labels"));
        Assert.Equal("missing", JsonPath.Json(ns, "metadata/generation"));
    }

    [Fact]
    public void ApplyDefaults_NameLabel_CannotBeChanged()
    {
        var ns = Examples.Parse("kind: Namespace\nmetadata: {name: team-a, labels: {kubernetes.io/metadata.name: other, tier: x}}");

        StoreSteps.For("", "Namespace").ApplyDefaults(ns);

        Assert.Equal("{\"kubernetes.io/metadata.name\":\"team-a\",\"tier\":\"x\"}", JsonPath.Json(ns, "metadata/labels"));
    }

    [Fact]
    public void PrepareForUpdate_FinalizersAndStatus_AreKept()
    {
        var old = StoreSteps.Create("", Examples.Parse("kind: Namespace\nmetadata: {name: team-a}"), ns: null);
        var updated = Examples.Parse("kind: Namespace\nmetadata: {name: team-a}\nspec: {finalizers: []}\nstatus: {phase: Terminating}");

        StoreSteps.For("", "Namespace").PrepareForUpdate(updated, old);

        Assert.Equal("{\"finalizers\":[\"kubernetes\"]}", JsonPath.Json(updated, "spec"));
        Assert.Equal("{\"phase\":\"Active\"}", JsonPath.Json(updated, "status"));
    }

    [Theory]
    [InlineData("{\"finalizers\":[\"kubernetes\"]}")]
    [InlineData("{\"finalizers\":[]}")]
    [InlineData("{}")]
    public void HoldOnDelete_FirstRequest_TerminatesAndHoldsWhateverSpecFinalizersSay(string spec)
    {
        var ns = JsonNode.Parse($"{{\"metadata\":{{\"name\":\"team-a\"}},\"spec\":{spec},\"status\":{{\"phase\":\"Active\"}}}}")!.AsObject();
        var hold = Assert.IsAssignableFrom<IDeletionHoldStrategy>(StoreSteps.For("", "Namespace"));

        Assert.True(hold.HoldOnDelete(ns));
        Assert.Equal("Terminating", JsonPath.Get(ns, "status/phase")?.GetValue<string>());
    }

    [Theory]
    [InlineData("{\"finalizers\":[\"kubernetes\"]}", true)]
    [InlineData("{\"finalizers\":[]}", false)]
    [InlineData("{}", false)]
    public void HoldOnDelete_LaterRequest_HoldsWhileSpecFinalizersPending(string spec, bool held)
    {
        var ns = JsonNode.Parse($"{{\"metadata\":{{\"name\":\"team-a\",\"deletionTimestamp\":\"2026-01-02T03:04:05Z\"}},\"spec\":{spec}}}")!.AsObject();
        var hold = Assert.IsAssignableFrom<IDeletionHoldStrategy>(StoreSteps.For("", "Namespace"));

        Assert.Equal(held, hold.HoldOnDelete(ns));
        Assert.Equal(held, hold.HoldsRemoval(ns));
    }

    [Fact]
    public void Columns_Namespace_ShowPhase()
    {
        var ns = StoreSteps.Create("", Examples.Parse("kind: Namespace\nmetadata: {name: team-a}"), ns: null);

        Assert.Equal(["team-a", "Active", "10s"], StoreSteps.For("", "Namespace").Columns.Select(c => c.Cell(ns, new TableContext(StoreSteps.Created.AddSeconds(10)))?.ToString()));
        Assert.Equal("Active", StoreSteps.For("", "Namespace").GetSelectableField(ns, "status.phase"));
    }
}
