using Timonel.ApiServer.Admission;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Tests.Admission;

public sealed class AdmissionChainTests
{
    private static readonly ResourceDefinition _pods = ResourceCatalog.BuiltIn(new BuiltInStrategies()).Single(d => d.Plural == "pods");

    [Fact]
    public async Task Mutate_PluginsForOtherOperationsOrResources_Skipped()
    {
        var log = new List<string>();
        var chain = new AdmissionChain(
        [
            new RecordingPlugin("all", log),
            new RecordingPlugin("updates", log, null, AdmissionOperation.Update),
            new RecordingPlugin("configmaps", log, new AdmittedResource("", "configmaps")),
            new RecordingPlugin("pods", log, new AdmittedResource("", "pods"), AdmissionOperation.Create),
            new RecordingPlugin("podStatus", log, new AdmittedResource("", "pods", "status")),
        ]);

        await chain.MutateAsync(new AdmissionAttributes(AdmissionOperation.Create, _pods, "default", "p", [], null), CancellationToken.None);

        Assert.Equal(["all:Mutate:Create", "pods:Mutate:Create"], log);
    }

    [Fact]
    public async Task Validate_StatusUpdate_OnlyPluginsOfThatSubresource()
    {
        var log = new List<string>();
        var chain = new AdmissionChain([new RecordingPlugin("pods", log, new AdmittedResource("", "pods")), new RecordingPlugin("podStatus", log, new AdmittedResource("", "pods", "status"))]);

        await chain.ValidateAsync(new AdmissionAttributes(AdmissionOperation.Update, _pods, "default", "p", [], []) { Subresource = "status" }, CancellationToken.None);

        Assert.Equal(["podStatus:Validate:Update"], log);
    }

    [Theory]
    [InlineData("NamespaceLifecycle", AdmissionOperation.Delete, true)]
    [InlineData("NamespaceLifecycle", AdmissionOperation.Create, true)]
    [InlineData("NamespaceLifecycle", AdmissionOperation.Connect, false)]
    [InlineData("ServiceAccount", AdmissionOperation.Create, true)]
    [InlineData("ServiceAccount", AdmissionOperation.Update, false)]
    [InlineData("Priority", AdmissionOperation.Create, true)]
    [InlineData("Priority", AdmissionOperation.Update, true)]
    [InlineData("DefaultTolerationSeconds", AdmissionOperation.Create, true)]
    [InlineData("DefaultTolerationSeconds", AdmissionOperation.Update, true)]
    public void BuiltIn_Plugin_HandlesUpstreamOperations(string plugin, AdmissionOperation operation, bool handles) =>
        Assert.Equal(handles, AdmissionChain.BuiltIn.Plugins.Single(p => p.Name == plugin).Handles(operation));

    [Fact]
    public void BuiltIn_Order_IsUpstreamPluginOrder() =>
        Assert.Equal(["NamespaceLifecycle", "ServiceAccount", "Priority", "DefaultTolerationSeconds"], AdmissionChain.BuiltIn.Plugins.Select(p => p.Name));
}
