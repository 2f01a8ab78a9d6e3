using System.Text;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Tests.Registry;

public sealed class ContinueTokenTests
{
    public static TheoryData<string, string> Forged => new()
    {
        { "!!!", "continue key is not valid: illegal base64 data at input byte 0" },
        { "abc=", "continue key is not valid: illegal base64 data at input byte 3" },
        { "abcde", "continue key is not valid: illegal base64 data at input byte 4" },
        { Token("garbage"), "continue key is not valid: invalid character 'g' looking for beginning of value" },
        { Token("{\"v\":"), "continue key is not valid: unexpected end of JSON input" },
        { Token("[1]"), "continue key is not valid: json: cannot unmarshal array into Go value of type storage.continueToken" },
        { Token("{\"v\":\"meta.k8s.io/v1\",\"rv\":\"5\",\"start\":\"a\"}"), "continue key is not valid: json: cannot unmarshal string into Go struct field continueToken.rv of type int64" },
        { Token("{\"v\":\"meta.k8s.io/v1\",\"rv\":1.5,\"start\":\"a\"}"), "continue key is not valid: json: cannot unmarshal number 1.5 into Go struct field continueToken.rv of type int64" },
        { Token("{\"v\":\"other/v2\",\"rv\":5,\"start\":\"a\"}"), "continue key is not valid: server does not recognize this encoded version other/v2" },
        { Token("null"), "continue key is not valid: server does not recognize this encoded version " },
        { Token("{\"v\":\"meta.k8s.io/v1\",\"start\":\"a\"}"), "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)" },
        { Token("{\"v\":\"meta.k8s.io/v1\",\"rv\":5}"), "continue key is not valid: encoded start key empty (version meta.k8s.io/v1)" },
        { Token("{\"v\":\"meta.k8s.io/v1\",\"rv\":5,\"start\":\"../secrets/x\"}"), "continue key is not valid: ../secrets/x" },
        { Token("{\"v\":\"meta.k8s.io/v1\",\"rv\":5,\"start\":\"a//b\"}"), "continue key is not valid: a//b" },
    };

    [Theory]
    [MemberData(nameof(Forged))]
    public void Decode_ForgedToken_BadRequestWithUpstreamText(string token, string detail)
    {
        var error = Assert.Throws<StatusException>(() => ContinueToken.Decode(token));

        Assert.Equal((400, "BadRequest", "invalid continue token: " + detail), (error.Code, error.Reason, error.Message));
    }

    [Theory]
    [InlineData(42L, "default/web-1")]
    [InlineData(-1L, "b")]
    public void Decode_EncodedToken_RoundTrips(long revision, string start)
    {
        Assert.Equal((revision, start), ContinueToken.Decode(ContinueToken.Encode(revision, start)));
    }

    private static string Token(string json) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
