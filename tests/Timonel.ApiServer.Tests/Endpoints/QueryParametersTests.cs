using Timonel.ApiServer.Endpoints;

namespace Timonel.ApiServer.Tests.Endpoints;

public sealed class QueryParametersTests
{
    [Theory]
    [InlineData("CreateOptions")]
    [InlineData("PatchOptions")]
    public void DryRun_UnsupportedValue_InvalidOnTheOptionsKind(string optionsKind)
    {
        var error = Assert.Throws<StatusException>(() => QueryParameters.DryRun(TestRequests.With("?dryRun=All&dryRun=Bogus"), optionsKind));

        Assert.Equal((422, $"{optionsKind}.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: []string{{\"All\", \"Bogus\"}}: supported values: \"All\""), (error.Code, error.Message));
    }

    [Theory]
    [InlineData("?gracePeriodSeconds=abc", null, 400, "strconv.ParseInt: parsing \"abc\": invalid syntax")]
    [InlineData("?gracePeriodSeconds=", null, 400, "strconv.ParseInt: parsing \"\": invalid syntax")]
    [InlineData("?propagationPolicy=", null, 422, "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"")]
    [InlineData("?orphanDependents=&propagationPolicy=Orphan", null, 422, "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Invalid value: \"Orphan\": orphanDependents and deletionPropagation cannot be both set")]
    [InlineData("", """{"dryRun":"All"}""", 400, "json: cannot unmarshal string into Go struct field DeleteOptions.dryRun of type []string")]
    public async Task DeleteOptionsAsync_BadOptions_Refused(string query, string? body, int code, string message)
    {
        var error = await Assert.ThrowsAsync<StatusException>(() => QueryParameters.DeleteOptionsAsync(TestRequests.With(query, body), TestRequests.ConfigMaps, CancellationToken.None));

        Assert.Equal((code, message), (error.Code, error.Message));
    }

    [Theory]
    [InlineData("?dryRun=All&gracePeriodSeconds=5", null, true, 5L)]
    // With a body, the query is not read at all (handlers/delete.go): not its dryRun, not its bad number.
    [InlineData("?dryRun=All&gracePeriodSeconds=abc", """{"gracePeriodSeconds":7}""", false, 7L)]
    [InlineData("?dryRun=Bogus", """{"dryRun":["All"]}""", true, null)]
    public async Task DeleteOptionsAsync_BodyOrQuery_OnlyOneSourceRead(string query, string? body, bool dryRun, long? grace)
    {
        var options = await QueryParameters.DeleteOptionsAsync(TestRequests.With(query, body), TestRequests.ConfigMaps, CancellationToken.None);

        Assert.Equal((dryRun, grace), (options.DryRun, options.GracePeriodSeconds));
    }
}
