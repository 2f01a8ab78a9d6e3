using Timonel.ApiServer.Endpoints;

namespace Timonel.ApiServer.Tests.Endpoints;

public sealed class ListOptionsValidationTests
{
    // (watch, resourceVersion, resourceVersionMatch, continue, sendInitialEvents) and the errors upstream lists.
    public static TheoryData<bool, string, string, string, bool?, string[]> Refused => new()
    {
        { false, "", "NotOlderThan", "", null, ["resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided"] },
        { false, "5", "Exact", "token", null, ["resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is provided"] },
        { false, "5", "Bogus", "", null, ["resourceVersionMatch: Unsupported value: \"Bogus\": supported values: \"Exact\", \"NotOlderThan\", \"\""] },
        { false, "0", "Exact", "", null, ["resourceVersionMatch: Forbidden: resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""] },
        { false, "", "", "", true, ["sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list"] },
        { true, "", "", "", true, ["resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"] },
        { true, "5", "NotOlderThan", "", null, ["resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"] },
        {
            true, "5", "Exact", "", false,
            ["resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan", "resourceVersionMatch: Unsupported value: \"Exact\": supported values: \"NotOlderThan\""]
        },
        { true, "", "NotOlderThan", "token", true, ["resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is provided"] },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Validate_ForbiddenCombination_UpstreamErrors(bool watch, string resourceVersion, string match, string continueToken, bool? sendInitialEvents, string[] expected)
    {
        var errors = ListOptionsValidation.Validate(watch, resourceVersion, match, continueToken, sendInitialEvents);

        Assert.Equal(expected, errors.Select(e => e.ToString()));
    }

    public static TheoryData<bool, string, string, string, bool?> Accepted => new()
    {
        { false, "", "", "", null },
        { false, "5", "Exact", "", null },
        { false, "0", "NotOlderThan", "", null },
        { false, "", "", "token", null },
        { true, "", "NotOlderThan", "", true },
        { true, "0", "NotOlderThan", "", false },
        { true, "5", "", "", null },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Validate_AllowedCombination_NoErrors(bool watch, string resourceVersion, string match, string continueToken, bool? sendInitialEvents)
    {
        Assert.Empty(ListOptionsValidation.Validate(watch, resourceVersion, match, continueToken, sendInitialEvents));
    }
}
