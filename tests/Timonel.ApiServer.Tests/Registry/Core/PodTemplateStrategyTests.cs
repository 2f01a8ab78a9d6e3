using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Tests.Registry.Core;

/// <summary>PodTemplates: generation counts template changes; ValidatePodTemplate; printPodTemplate's columns.</summary>
public sealed class PodTemplateStrategyTests
{
    private const string Template = "{apiVersion: v1, kind: PodTemplate, metadata: {name: t}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: nginx}]}}}";

    [Fact]
    public void Create_PodTemplate_DefaultsThePodSpecAndShowsPodLabels()
    {
        var template = StoreSteps.Create("", Examples.Parse(Template));

        Assert.Equal("1", JsonPath.Json(template, "metadata/generation"));
        Assert.Equal("\"ClusterFirst\"", JsonPath.Json(template, "template/spec/dnsPolicy"));
        Assert.Equal(["t", "c", "nginx", "app=web"], StoreSteps.Cells("", "PodTemplate", template, new TableContext(StoreSteps.Created)));
    }

    [Fact]
    public void PrepareForUpdate_TemplateChange_BumpsGeneration()
    {
        var old = StoreSteps.Create("", Examples.Parse(Template));
        var updated = old.DeepClone().AsObject();
        updated["template"]!["spec"]!["containers"]![0]!["image"] = "nginx:2";

        StoreSteps.For("", "PodTemplate").PrepareForUpdate(updated, old);

        Assert.Equal("2", JsonPath.Json(updated, "metadata/generation"));
    }

    [Fact]
    public void Validate_TemplateWithoutContainers_IsRequiredAtTemplateSpec() =>
        Assert.Equal(
            "PodTemplate \"t\" is invalid: template.spec.containers: Required value",
            ValidationSteps.CreateMessage("", "{apiVersion: v1, kind: PodTemplate, metadata: {name: t}, template: {spec: {containers: []}}}"));
}
