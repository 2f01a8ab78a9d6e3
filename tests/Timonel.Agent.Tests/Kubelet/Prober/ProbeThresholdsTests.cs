using Timonel.Agent.Kubelet.Prober;

namespace Timonel.Agent.Tests.Kubelet.Prober;

public class ProbeThresholdsTests
{
    [Fact]
    public void A_result_counts_once_its_threshold_of_attempts_in_a_row_is_met()
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
    public void Unset_thresholds_are_one_success_and_three_failures()
    {
        var thresholds = new ProbeThresholds(null, null, initial: null);

        Assert.True(thresholds.Observe(true));
        thresholds.Observe(false);
        thresholds.Observe(false);
        Assert.True(thresholds.Observe(false));
        Assert.False(thresholds.Current);
    }
}
