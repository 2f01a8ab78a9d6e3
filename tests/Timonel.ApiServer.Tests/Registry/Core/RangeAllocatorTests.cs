using System.Globalization;
using Timonel.ApiServer.Registry.Core;
using Timonel.Storage.Memory;

namespace Timonel.ApiServer.Tests.Registry.Core;

public sealed class RangeAllocatorTests
{
    [Fact]
    public async Task ReserveAny_LeavesTheStaticBandUntilTheRestIsFull()
    {
        var allocator = new RangeAllocator(new MemoryStorageBackend(), "/ranges/");
        var values = new List<int>();
        for (var i = 0; i < 40; i++)
        {
            values.Add(int.Parse((await allocator.ReserveAnyAsync(40, 16, offset => offset.ToString(CultureInfo.InvariantCulture), "o" + i, CancellationToken.None))!, CultureInfo.InvariantCulture));
        }

        Assert.Equal(Enumerable.Range(16, 24), values.Take(24).Order());
        Assert.Equal(Enumerable.Range(0, 16), values.Skip(24).Order());
        Assert.Null(await allocator.ReserveAnyAsync(40, 16, offset => offset.ToString(CultureInfo.InvariantCulture), "late", CancellationToken.None));
    }

    [Theory]
    [InlineData(2768, 16, 32, 128, 86)]
    [InlineData(65533, 16, 16, 256, 256)]
    [InlineData(13, 16, 16, 256, 16)]
    public void StaticBand_AsUpstreamSizesIt(long size, long least, long divisor, long most, long band) =>
        Assert.Equal(band, RangeAllocator.StaticBand(size, least, divisor, most));
}
