using System.Text.Json.Nodes;

namespace Timonel.ApiServer.Tests.Registry.Apps;

public sealed class DaemonSetStrategyTests
{
    private const string Annotation = "deprecated.daemonset.template.generation";

    [Fact]
    public void Create_ExampleDaemonSet_TemplateGenerationOne()
    {
        var created = StoreSteps.Create("apps", Examples.Load("04-daemonset.yaml", "DaemonSet"));

        Assert.Equal("1", created["metadata"]!["annotations"]![Annotation]!.GetValue<string>());
    }

    [Theory]
    [InlineData("busybox:2", "5", "3", 2L)]
    [InlineData("busybox:1", "5", "2", 1L)]
    [InlineData("busybox:1", null, "2", 1L)]
    public void PrepareForUpdate_TemplateChangedOrNot_GenerationRaisedOnlyWithTheTemplateAndNeverSetByTheWriter(string image, string? sent, string expected, long generation)
    {
        var old = DaemonSet("busybox:1", "2", replace: false);
        var updated = DaemonSet(image, sent, replace: true);
        var strategy = StoreSteps.For("apps", "DaemonSet");

        strategy.PrepareForUpdate(updated, old);

        Assert.Equal(expected, updated["metadata"]!["annotations"]![Annotation]!.GetValue<string>());
        Assert.Equal(generation, (long)updated["metadata"]!["generation"]!);
    }

    private static JsonObject DaemonSet(string image, string? templateGeneration, bool replace)
    {
        var annotations = new JsonObject();
        if (templateGeneration is not null)
        {
            annotations[Annotation] = templateGeneration;
        }

        return new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "ds", ["generation"] = 1, ["annotations"] = annotations },
            ["spec"] = new JsonObject
            {
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "a" } },
                ["template"] = JsonNode.Parse($$$"""{"metadata":{"labels":{"app":"a"}},"spec":{"containers":[{"name":"c","image":"{{{image}}}"}]}}"""),
            },
            ["status"] = replace ? null : new JsonObject { ["numberReady"] = 1 },
        };
    }
}
