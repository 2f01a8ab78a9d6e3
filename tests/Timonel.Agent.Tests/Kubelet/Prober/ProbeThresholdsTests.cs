using Timonel.Agent.Kubelet.Prober;

namespace Timonel.Agent.Tests.Kubelet.Prober;

public class ProbeThresholdsTests
{
    [Fact]
    public void Observe_RunsInARow_CountOnceThresholdMet()
    {
        var thresholds = new ProbeThresholds(successThreshold: 2, failureThreshold: 3, initial: false);

        Assert.False(thresholds.Observe(true));
        Assert.True(thresholds.Observe(true));
        Assert.True(thresholds.Current);
        Assert.False(thresholds.Observe(false));
        Assert.False(thresholds.Observe(false));
        Assert.False(thresholds.Observe(true));
        Assert.False(thresholds.Observe(false));
        Assert.True(thresholds.Current);
    }

    [Fact]
    public void Observe_UnsetThresholds_OneSuccessThreeFailures()
    {
        var thresholds = new ProbeThresholds(null, null, initial: null);

        Assert.True(thresholds.Observe(true));
        thresholds.Observe(false);
        thresholds.Observe(false);
        Assert.True(thresholds.Observe(false));
        Assert.False(thresholds.Current);
    }
}
