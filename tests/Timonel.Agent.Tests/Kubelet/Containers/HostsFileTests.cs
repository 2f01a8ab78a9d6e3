using k8s.Models;
using Timonel.Agent.Kubelet.Containers;

namespace Timonel.Agent.Tests.Kubelet.Containers;

public class HostsFileTests
{
    private const string Localhost =
        "# Kubernetes-managed hosts file.\n" +
        "127.0.0.1\tlocalhost\n" +
        "::1\tlocalhost ip6-localhost ip6-loopback\n" +
        "fe00::0\tip6-localnet\n" +
        "fe00::0\tip6-mcastprefix\n" +
        "fe00::1\tip6-allnodes\n" +
        "fe00::2\tip6-allrouters\n";

    [Fact]
    public void Managed_PodIPs_NamedByHostname()
    {
        Assert.Equal(Localhost + "10.42.0.5\tweb\n", HostsFile.Managed(["10.42.0.5"], "web", "", null));
    }

    [Fact]
    public void Managed_SubdomainAndAliases_FqdnThenAliasEntries()
    {
        var aliases = new[] { new V1HostAlias { Ip = "10.1.2.3", Hostnames = ["foo.local", "bar.local"] } };

        var content = HostsFile.Managed(["10.42.0.5"], "web-0", "web.shop.svc.cluster.local", aliases);

        Assert.Equal(
            Localhost + "10.42.0.5\tweb-0.web.shop.svc.cluster.local\tweb-0\n\n# Entries added by HostAliases.\n10.1.2.3\tfoo.local\tbar.local\n",
            content);
    }

    [Fact]
    public void ForHostNetwork_NodeFile_HeaderThenNodeContent()
    {
        Assert.Equal(
            "# Kubernetes-managed hosts file (host network).\n127.0.0.1 localhost\n",
            HostsFile.ForHostNetwork("127.0.0.1 localhost\n", null));
    }

    [Fact]
    public void Hostname_Long_CutTo63WithoutTrailingDash()
    {
        var pod = ConfigTestPods.Pod();
        pod.Metadata.Name = new string('a', 62) + "-bcd";

        Assert.Equal(new string('a', 62), PodHostname.Hostname(pod));
        pod.Spec.Hostname = "custom";
        pod.Spec.Subdomain = "web";
        Assert.Equal("custom", PodHostname.Hostname(pod));
        Assert.Equal("web.shop.svc.cluster.local", PodHostname.Domain(pod, "cluster.local"));
    }
}
