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
    public void The_managed_file_names_the_pod_by_its_IPs()
    {
        Assert.Equal(Localhost + "10.42.0.5\tweb\n", HostsFile.Managed(["10.42.0.5"], "web", "", null));
    }

    [Fact]
    public void A_pod_with_a_subdomain_gets_its_FQDN_and_the_aliases_follow()
    {
        var aliases = new[] { new V1HostAlias { Ip = "10.1.2.3", Hostnames = ["foo.local", "bar.local"] } };

        var content = HostsFile.Managed(["10.42.0.5"], "web-0", "web.shop.svc.cluster.local", aliases);

        Assert.Equal(
            Localhost + "10.42.0.5\tweb-0.web.shop.svc.cluster.local\tweb-0\n\n# Entries added by HostAliases.\n10.1.2.3\tfoo.local\tbar.local\n",
            content);
    }

    [Fact]
    public void A_host_network_pod_gets_the_node_file()
    {
        Assert.Equal(
            "# Kubernetes-managed hosts file (host network).\n127.0.0.1 localhost\n",
            HostsFile.ForHostNetwork("127.0.0.1 localhost\n", null));
    }

    [Fact]
    public void Hostnames_are_cut_to_63_characters_without_a_trailing_dash()
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
