using Timonel.Agent.Simulated;

namespace Timonel.Agent.Tests.Simulated;

public sealed class PodIpPoolTests
{
    [Fact]
    public void Allocate_Fresh_StartsAfterTheBridgeAddress() => Assert.Equal(2, new PodIpPool().Allocate());

    [Fact]
    public void Allocate_AllTaken_Null()
    {
        var pool = new PodIpPool();
        for (var i = 2; i <= 254; i++)
        {
            Assert.Equal(i, pool.Allocate());
        }

        Assert.Null(pool.Allocate());
        pool.Release(100);
        Assert.Equal(100, pool.Allocate());
    }

    [Fact]
    public void Reserve_AddressInUse_Skipped()
    {
        var pool = new PodIpPool();
        pool.Reserve(2);
        Assert.Equal(3, pool.Allocate());
    }
}
