using Timonel.ApiServer.Endpoints;

namespace Timonel.ApiServer.Tests.Endpoints;

public sealed class ListOptionsReaderTests
{
    [Theory]
    [InlineData("?limit=abc", false, 400, "strconv.ParseInt: parsing \"abc\": invalid syntax")]
    [InlineData("?limit=", false, 400, "strconv.ParseInt: parsing \"\": invalid syntax")]
    [InlineData("?timeoutSeconds=5s", true, 400, "strconv.ParseInt: parsing \"5s\": invalid syntax")]
    [InlineData("?resourceVersion=abc", true, 400, "resourceVersion: Invalid value: \"abc\": strconv.ParseUint: parsing \"abc\": invalid syntax")]
    [InlineData("?resourceVersion=99999999999999999999", false, 400, "resourceVersion: Invalid value: \"99999999999999999999\": strconv.ParseUint: parsing \"99999999999999999999\": value out of range")]
    [InlineData("?resourceVersionMatch=NotOlderThan", false, 422, "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided")]
    [InlineData("?continue=!&resourceVersion=5", false, 400, "invalid continue token: continue key is not valid: illegal base64 data at input byte 0")]
    public void Read_BadParameters_RefusedAtUpstreamsStep(string query, bool watch, int code, string message)
    {
        var error = Assert.Throws<StatusException>(() => ListOptionsReader.Read(TestRequests.With(query), TestRequests.ConfigMaps, watch));

        Assert.Equal((code, message), (error.Code, error.Message));
    }

    [Fact]
    public void Read_LooseValues_ConvertedAsGo()
    {
        var query = ListOptionsReader.Read(TestRequests.With("?limit=-3&allowWatchBookmarks=yes&timeoutSeconds=9223372036854775807&resourceVersionMatch=NotOlderThan&sendInitialEvents=0"), TestRequests.ConfigMaps, watch: true);

        Assert.Equal((0L, true, long.MaxValue, (bool?)false), (query.Limit, query.AllowWatchBookmarks, query.TimeoutSeconds, query.SendInitialEvents));
    }

    [Theory]
    [InlineData("?watch=true", true)]
    [InlineData("?watch=yes", true)]
    [InlineData("?watch", true)]
    [InlineData("?watch=0", false)]
    [InlineData("?watch=False", false)]
    [InlineData("", false)]
    public void IsWatch_AnyValue_GoBoolean(string query, bool expected)
    {
        Assert.Equal(expected, ListOptionsReader.IsWatch(TestRequests.With(query).Query));
    }
}
