using System.CommandLine;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Timonel.Agent;
using Timonel.Agent.Containerd;
using Timonel.Agent.Containerd.Registries;

namespace Timonel.Commands;

/// <summary>The node agent's flags, shared by <c>timonel server</c> (its local agent) and <c>timonel agent</c>, named as K3s names them.</summary>
internal sealed class NodeAgentFlags
{
    public Option<string?> NodeName { get; } = new("--node-name") { Description = "Node name (default: the host name)" };

    public Option<string?> RuntimeEndpoint { get; } = new("--container-runtime-endpoint") { Description = "Disable the embedded containerd and use the CRI socket at the given path" };

    public Option<string> PrivateRegistry { get; } = new("--private-registry") { Description = "Private registry configuration file", DefaultValueFactory = _ => RegistriesFile.DefaultPath };

    public Option<string> PauseImage { get; } = new("--pause-image") { Description = "Customized pause image for containerd sandbox", DefaultValueFactory = _ => ContainerdSettings.DefaultSandboxImage };

    public Option<string> ClusterDns { get; } = new("--cluster-dns") { Description = "IPv4 Cluster IP for coredns service", DefaultValueFactory = _ => "10.43.0.10" };

    public Option<string> ClusterDomain { get; } = new("--cluster-domain") { Description = "Cluster Domain", DefaultValueFactory = _ => "cluster.local" };

    public Option<string?> ProxyMode { get; } = CreateProxyMode();

    public IEnumerable<Option> All => [NodeName, RuntimeEndpoint, PrivateRegistry, PauseImage, ClusterDns, ClusterDomain, ProxyMode];

    public string NodeNameOf(ParseResult parse) => parse.GetValue(NodeName) is { Length: > 0 } name ? name : System.Net.Dns.GetHostName().ToLowerInvariant();

    /// <summary>The node's options from the flags; its kubelet API serves with the certificate <paramref name="servingCertificate"/> gives.</summary>
    public RealNodeOptions Options(ParseResult parse, string agentDir, ServingCertificateSource servingCertificate) => new()
    {
        AgentDir = agentDir,
        NodeName = NodeNameOf(parse),
        ServingCertificate = servingCertificate,
        RuntimeEndpoint = parse.GetValue(RuntimeEndpoint),
        PrivateRegistry = parse.GetValue(PrivateRegistry)!,
        SandboxImage = parse.GetValue(PauseImage)!,
        ClusterDns = parse.GetValue(ClusterDns)!,
        ClusterDomain = parse.GetValue(ClusterDomain)!,
        ProxyMode = parse.GetValue(ProxyMode) ?? Timonel.Agent.Proxy.ProxyModes.Auto,
    };

    private static Option<string?> CreateProxyMode()
    {
        var option = new Option<string?>("--proxy-mode") { Description = "Which proxy mode to use: 'nftables' or 'iptables' (default: nftables where nft runs, iptables-nft otherwise)" };
        option.AcceptOnlyFromAmong([.. Timonel.Agent.Proxy.ProxyModes.All]);
        return option;
    }
}
