using Timonel.Agent.Proxy;

namespace Timonel.Commands;

/// <summary><c>timonel agent --cleanup</c>: removes what the node agent installed in the kernel (kube-proxy's --cleanup).</summary>
internal static class AgentCleanup
{
    public static async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            var removed = await ProxyCleanup.RunAsync(new NftCommand(), cancellationToken);
            Console.WriteLine(removed ? $"removed nftables table {ProxyTable.Qualified}" : $"nothing to clean up: no nftables table {ProxyTable.Qualified}");
            return 0;
        }
        catch (NftablesException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 1;
        }
    }
}
