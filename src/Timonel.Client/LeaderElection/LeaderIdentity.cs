using System.Net;

namespace Timonel.Client.LeaderElection;

/// <summary>Candidate identities as kube-controller-manager and kube-scheduler make them.</summary>
public static class LeaderIdentity
{
    /// <summary>
    /// <c>&lt;hostname&gt;_&lt;uuid&gt;</c> (controllermanager.go: os.Hostname() + "_" + uuid.NewUUID()): unique per
    /// process, so two servers on one host never both believe they hold the lease.
    /// </summary>
    public static string New() => $"{Dns.GetHostName()}_{Guid.NewGuid():D}";
}
