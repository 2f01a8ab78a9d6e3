using System.IO.Compression;
using Timonel.Agent.Kubelet.Server.Spdy;

namespace Timonel.Agent.Tests.Kubelet.Server.Spdy;

/// <summary>SPDY/3 header blocks as kubectl's SPDY framer writes and reads them (zlib, best compression, the SPDY dictionary).</summary>
public sealed class SpdyHeaderCodecTests
{
    // Two consecutive header blocks of one connection as zlib with the SPDY dictionary writes them (level 9, a sync
    // flush after each): a port-forward's error stream, then its data stream, whose block refers back to the first.
    private static readonly byte[] _errorStreamBlock = Convert.FromHexString(
        "78f9e3c6a7c202253a703a2b294a4dcc851625aca9a0808614cb45a024cc64610024398b209198094adc8c0600000000ffff");

    private static readonly byte[] _dataStreamBlock = Convert.FromHexString("c2aa15540a2512d209000000ffff");

    [Fact]
    public void Dictionary_HasTheSpecsId()
    {
        var adler = Adler32(SpdyHeaderDictionary.Bytes);

        Assert.Equal(1423, SpdyHeaderDictionary.Bytes.Length);
        Assert.Equal(SpdyHeaderDictionary.Id, adler);
    }

    [Fact]
    public void Decode_ConsecutiveBlocksOfAConnection_EachBlocksHeaders()
    {
        var codec = new SpdyHeaderCodec();

        var error = codec.Decode(_errorStreamBlock);
        var data = codec.Decode(_dataStreamBlock);

        Assert.Equal(new Dictionary<string, string> { ["streamtype"] = "error", ["port"] = "80", ["requestid"] = "0" }, error);
        Assert.Equal(new Dictionary<string, string> { ["streamtype"] = "data", ["port"] = "80", ["requestid"] = "0" }, data);
    }

    [Fact]
    public void Encode_ThenDecodeByAPeer_SameHeaders()
    {
        var sender = new SpdyHeaderCodec();
        var receiver = new SpdyHeaderCodec();

        var first = receiver.Decode(sender.Encode([new("Status", "200")]));
        var second = receiver.Decode(sender.Encode([]));

        Assert.Equal("200", first["status"]);
        Assert.Empty(second);
    }

    [Fact]
    public void Encode_FirstBlock_IsAZlibStreamWithTheDictionaryId()
    {
        var block = new SpdyHeaderCodec().Encode([]);

        Assert.Equal(0, ((block[0] << 8) | block[1]) % 31);
        Assert.Equal([0xe3, 0xc6, 0xa7, 0xc2], block[2..6]);
        using var inflated = new MemoryStream();
        using (var inflater = new DeflateStream(new MemoryStream(block[6..]), CompressionMode.Decompress))
        {
            inflater.CopyTo(inflated);
        }

        Assert.Equal(new byte[4], inflated.ToArray());
    }

    private static uint Adler32(byte[] bytes)
    {
        uint a = 1, b = 0;
        foreach (var value in bytes)
        {
            a = (a + value) % 65521;
            b = (b + a) % 65521;
        }

        return (b << 16) | a;
    }
}
