using Timonel.Agent.Containerd;
using Timonel.Agent.Kubelet;
using Timonel.Client;

namespace Timonel.Agent;

/// <summary>How <see cref="RealNode"/> runs: its runtime, its kubelet and the certificate its kubelet API serves with.</summary>
public sealed record RealNodeOptions
{
    /// <summary>DATA/agent: containerd's config and images, the kubelet's pods.</summary>
    public required string AgentDir { get; init; }

    public required string NodeName { get; init; }

    /// <summary>The kubelet API's serving certificate (signed by the cluster CA, for the node's addresses), with its key, asked for once the Node is registered.</summary>
    public required ServingCertificateSource ServingCertificate { get; init; }

    public AgentContainerdOptions Containerd => new()
    {
        AgentDir = AgentDir,
        RunDir = RunDir,
        RuntimeEndpoint = RuntimeEndpoint,
        SandboxImage = SandboxImage,
        PrivateRegistry = PrivateRegistry,
    };

    /// <summary>--container-runtime-endpoint: a CRI runtime to use instead of the agent's own containerd.</summary>
    public string? RuntimeEndpoint { get; init; }

    public string RunDir { get; init; } = ContainerdPaths.DefaultRunDir;

    public string SandboxImage { get; init; } = ContainerdSettings.DefaultSandboxImage;

    public string PrivateRegistry { get; init; } = Timonel.Agent.Containerd.Registries.RegistriesFile.DefaultPath;

    public string? PodCidr { get; init; }

    /// <summary>The cluster DNS Service's address pods resolve through (K3s' 10.43.0.10).</summary>
    public string ClusterDns { get; init; } = "10.43.0.10";

    public string ClusterDomain { get; init; } = "cluster.local";

    /// <summary>
    /// The Service proxy's identity (system:kube-proxy, bound to system:node-proxier, as K3s' client-kube-proxy
    /// certificate); null to use the node's own connection.
    /// </summary>
    public ClusterConnection? ProxyConnection { get; init; }

    /// <summary>--proxy-mode: "nftables", "iptables" (iptables-nft), or empty for nftables where nft runs and iptables otherwise.</summary>
    public string ProxyMode { get; init; } = Proxy.ProxyModes.Auto;

    /// <summary>--cluster-cidr: the pods' range, by which the service proxy tells the cluster's own traffic apart.</summary>
    public string ClusterCidr { get; init; } = Timonel.Client.Objects.PodCidrs.DefaultClusterCidr;

    public int KubeletPort { get; init; } = Kubelet.Server.KubeletServerOptions.DefaultPort;

    public string KubeletDirectory => Path.Combine(AgentDir, "kubelet");
}
