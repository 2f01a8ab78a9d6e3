using k8s.Models;
using Timonel.Agent.Kubelet.Volumes;

namespace Timonel.Agent.Tests.Kubelet.Volumes;

public sealed class PodFieldPathTests
{
    [Fact]
    public void FormatMap_QuotesValuesAsGoDoes()
    {
        var map = new Dictionary<string, string> { ["b"] = "line1\nline2\ttab", ["a"] = "back\\slash \u0001 ñ" };

        Assert.Equal("a=\"back\\\\slash \\x01 ñ\"\nb=\"line1\\nline2\\ttab\"", PodFieldPath.FormatMap(map));
    }

    [Fact]
    public void SubscriptOfAMissingKey_IsEmpty()
    {
        var pod = VolumeTestPods.With();

        Assert.Equal("", PodFieldPath.Extract(pod, "metadata.annotations['absent']"));
    }

    [Fact]
    public void SubscriptOfAFieldWithoutKeys_IsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => PodFieldPath.Extract(new V1Pod { Metadata = new V1ObjectMeta() }, "metadata.name['x']"));

        Assert.Equal("fieldPath \"metadata.name['x']\" does not support subscript", e.Message);
    }
}
