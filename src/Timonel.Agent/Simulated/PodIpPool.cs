namespace Timonel.Agent.Simulated;

/// <summary>
/// The pod addresses of one node's /24: .2 to .254, lowest free first, as the host-local IPAM of K3s' flannel hands
/// them out (.1 is the node's cni0 bridge, .255 the broadcast address). A bitmap: 32 bytes per node.
/// </summary>
internal sealed class PodIpPool
{
    private const int First = 2;
    private const int Last = 254;
    private readonly ulong[] _used = new ulong[4];

    /// <summary>The lowest free host offset, now in use; null when the range is full.</summary>
    public int? Allocate()
    {
        for (var offset = First; offset <= Last; offset++)
        {
            if (!IsUsed(offset))
            {
                Reserve(offset);
                return offset;
            }
        }

        return null;
    }

    /// <summary>Marks an offset in use (an address a pod already had before the agent restarted).</summary>
    public void Reserve(int offset)
    {
        if (offset is >= First and <= Last)
        {
            _used[offset >> 6] |= 1UL << (offset & 63);
        }
    }

    public void Release(int offset)
    {
        if (offset is >= First and <= Last)
        {
            _used[offset >> 6] &= ~(1UL << (offset & 63));
        }
    }

    private bool IsUsed(int offset) => (_used[offset >> 6] & (1UL << (offset & 63))) != 0;
}
