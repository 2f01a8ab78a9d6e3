using k8s.Models;
using Timonel.Agent.Kubelet.Prober;

namespace Timonel.Agent.Tests.Kubelet.Prober;

public class ExecProbeTests
{
    private readonly ExecOnlyRuntimeStub _runtime = new();

    [Fact]
    public async Task Probe_ExitZero_SucceedsInTheContainer()
    {
        _runtime.Script("cat /tmp/healthy", (0, "ok"));

        var result = await ProbeAsync("cat", "/tmp/healthy");

        Assert.Equal(ProbeResult.Success("ok"), result);
        Assert.Equal(["c-1: cat /tmp/healthy"], _runtime.Runs);
    }

    [Fact]
    public async Task Probe_NonZeroExit_FailsWithOutput()
    {
        _runtime.Script("cat /tmp/healthy", (1, "cat: can't open '/tmp/healthy': No such file or directory\n"));

        var result = await ProbeAsync("cat", "/tmp/healthy");

        Assert.Equal(ProbeResult.Failure("cat: can't open '/tmp/healthy': No such file or directory\n"), result);
    }

    [Fact]
    public async Task Probe_PastTimeout_FailsAsTimedOut()
    {
        var probe = new V1Probe { Exec = new V1ExecAction { Command = ["sleep", "60"] } };
        using var expired = new CancellationTokenSource();
        await expired.CancelAsync();

        var result = await new ExecProbe(_runtime).ProbeAsync(probe, Target(), TimeSpan.FromSeconds(1), expired.Token);

        Assert.Equal(ProbeResult.Failure("command \"sleep 60\" timed out"), result);
    }

    private Task<ProbeResult> ProbeAsync(params string[] command) =>
        new ExecProbe(_runtime).ProbeAsync(new V1Probe { Exec = new V1ExecAction { Command = command } }, Target(), TimeSpan.FromSeconds(1), CancellationToken.None);

    private static ProbeTarget Target()
    {
        var container = new V1Container { Name = "app" };
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "web", Uid = "pod-uid" }, Spec = new V1PodSpec { Containers = [container] } };
        return new ProbeTarget(pod, container, "c-1", "10.42.0.5");
    }
}
