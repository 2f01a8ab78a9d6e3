using Timonel.Agent.Proxy;
using Timonel.Agent.Proxy.Iptables;

namespace Timonel.Commands;

/// <summary><c>timonel agent --cleanup</c>: removes what the node agent installed in the kernel (kube-proxy's --cleanup).</summary>
internal static class AgentCleanup
{
    public static async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            var removed = await ProxyCleanup.RunAllAsync(cancellationToken);
            Console.WriteLine(removed.Count > 0 ? string.Join("\n", removed.Select(r => "removed " + r)) : $"nothing to clean up: no nftables table {ProxyTable.Qualified}, no iptables chains {IptablesChains.Prefix}*");
            return 0;
        }
        catch (Exception ex) when (ex is NftablesException or IptablesException)
        {
            Console.Error.WriteLine(ex.Message);
            return 1;
        }
    }
}
