using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Tests.Fakes;

namespace Timonel.Scheduler.Tests.Plugins.DefaultBinder;

public sealed class DefaultBinderTests
{
    [Fact]
    public async Task BindAsync_Pod_PostsABindingToTheNode()
    {
        var api = new FakeSchedulerApi();

        var status = await new global::Timonel.Scheduler.Plugins.DefaultBinder.DefaultBinder(api).BindAsync(new CycleState(), new PodInfo(Make.Pod("web", ns: "shop")), "sim-1", CancellationToken.None);

        Assert.True(status.IsSuccess);
        var binding = Assert.Single(api.Bindings);
        Assert.Equal(("shop", "web", "uid-web"), (binding.Metadata.NamespaceProperty, binding.Metadata.Name, binding.Metadata.Uid));
        Assert.Equal(("Node", "sim-1"), (binding.Target.Kind, binding.Target.Name));
    }

    [Fact]
    public async Task BindAsync_ApiFails_AnswersAnError()
    {
        var api = new FakeSchedulerApi { BindError = new InvalidOperationException("pods \"web\" not found") };

        var status = await new global::Timonel.Scheduler.Plugins.DefaultBinder.DefaultBinder(api).BindAsync(new CycleState(), new PodInfo(Make.Pod("web")), "sim-1", CancellationToken.None);

        Assert.Equal(Code.Error, status.Code);
        Assert.Equal("pods \"web\" not found", status.Message);
    }
}
