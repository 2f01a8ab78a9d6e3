using System.Net;

namespace Timonel.Networking.Dns;

/// <summary>Where the cluster DNS listens, what it serves and whom it asks about other names.</summary>
public sealed record ClusterDnsOptions
{
    /// <summary>The node address it listens on (never loopback: the host's own resolver may own 127.0.0.x:53).</summary>
    public required IPAddress ListenAddress { get; init; }

    public int Port { get; init; } = 53;

    /// <summary>The kube-dns Service's cluster IP: the 10th address of the service CIDR, as K3s'.</summary>
    public required IPAddress ServiceIP { get; init; }

    public string ClusterDomain { get; init; } = "cluster.local";

    /// <summary>The resolv.conf whose nameservers answer names outside the cluster.</summary>
    public string ResolvConf { get; init; } = "/etc/resolv.conf";
}
