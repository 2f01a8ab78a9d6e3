using System.Globalization;
using Timonel.Api.Cron;

namespace Timonel.Api.Tests.Cron;

public sealed class CronScheduleTests
{
    private static readonly TimeZoneInfo _newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [Theory]
    [InlineData("*/15 * * * *", "2026-01-01T00:07:30Z", "2026-01-01T00:15:00Z")]
    [InlineData("*/15 * * * *", "2026-01-01T00:15:00Z", "2026-01-01T00:30:00Z")]
    [InlineData("5/20 * * * *", "2026-01-01T00:06:00Z", "2026-01-01T00:25:00Z")]
    [InlineData("10-12 * * * *", "2026-01-01T00:12:00Z", "2026-01-01T01:10:00Z")]
    [InlineData("0 0 1,15 * *", "2026-01-02T00:00:00Z", "2026-01-15T00:00:00Z")]
    [InlineData("0 9 * * mon-fri", "2026-01-03T10:00:00Z", "2026-01-05T09:00:00Z")]
    [InlineData("0 0 * JAN,jul ?", "2026-02-01T00:00:00Z", "2026-07-01T00:00:00Z")]
    [InlineData("0 0 13 * 5", "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z")] // day of month or day of week
    [InlineData("0 0 13 * *", "2026-01-01T00:00:00Z", "2026-01-13T00:00:00Z")]
    [InlineData("0 0 29 2 *", "2025-03-01T00:00:00Z", "2028-02-29T00:00:00Z")]
    [InlineData("0 12 29 feb *", "2028-02-29T11:59:59Z", "2028-02-29T12:00:00Z")]
    [InlineData("59 23 31 12 *", "2026-12-31T23:59:00Z", "2027-12-31T23:59:00Z")]
    [InlineData("@yearly", "2026-06-01T00:00:00Z", "2027-01-01T00:00:00Z")]
    [InlineData("@annually", "2026-06-01T00:00:00Z", "2027-01-01T00:00:00Z")]
    [InlineData("@monthly", "2026-06-01T00:00:00Z", "2026-07-01T00:00:00Z")]
    [InlineData("@weekly", "2026-01-01T00:00:00Z", "2026-01-04T00:00:00Z")]
    [InlineData("@daily", "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z")]
    [InlineData("@midnight", "2026-01-01T23:59:59Z", "2026-01-02T00:00:00Z")]
    [InlineData("@hourly", "2026-01-01T10:30:00Z", "2026-01-01T11:00:00Z")]
    [InlineData("@every 90m", "2026-01-01T10:00:30.5Z", "2026-01-01T11:30:30Z")]
    public void Next_InUtc_IsTheFirstActivationAfter(string spec, string after, string expected)
    {
        var schedule = CronSchedule.Parse(spec, TimeZoneInfo.Utc);

        Assert.Equal(Time(expected), schedule.Next(Time(after)));
    }

    // robfig/cron's own DST cases (spec_test.go TestNext), in five fields: a wall time skipped by spring forward is
    // skipped, one repeated by fall back runs twice.
    [Theory]
    [InlineData("0 * * * *", "2012-03-11T00:00:00-05:00", "2012-03-11T01:00:00-05:00")]
    [InlineData("0 * * * *", "2012-03-11T01:00:00-05:00", "2012-03-11T03:00:00-04:00")]
    [InlineData("0 2 * * *", "2012-03-11T00:00:00-05:00", "2012-03-12T02:00:00-04:00")]
    [InlineData("30 2 11 3 *", "2012-03-11T00:00:00-05:00", "2013-03-11T02:30:00-04:00")]
    [InlineData("30 2 4 11 *", "2012-11-04T00:00:00-04:00", "2012-11-04T02:30:00-05:00")]
    [InlineData("30 1 4 11 *", "2012-11-04T01:45:00-04:00", "2012-11-04T01:30:00-05:00")]
    [InlineData("0 * * * *", "2012-11-04T00:00:00-04:00", "2012-11-04T01:00:00-04:00")]
    [InlineData("0 * * * *", "2012-11-04T01:00:00-04:00", "2012-11-04T01:00:00-05:00")]
    [InlineData("0 * * * *", "2012-11-04T01:00:00-05:00", "2012-11-04T02:00:00-05:00")]
    [InlineData("0 1 * * *", "2012-11-04T00:00:00-04:00", "2012-11-04T01:00:00-04:00")]
    [InlineData("0 1 * * *", "2012-11-04T01:00:00-04:00", "2012-11-04T01:00:00-05:00")]
    [InlineData("0 0 * * *", "2012-03-10T12:00:00-05:00", "2012-03-11T00:00:00-05:00")]
    [InlineData("0 9 * * *", "2026-03-08T00:00:00-05:00", "2026-03-08T09:00:00-04:00")]
    public void Next_InATimeZoneAcrossDst_FollowsTheWallClock(string spec, string after, string expected)
    {
        var schedule = CronSchedule.Parse(spec, _newYork);

        Assert.Equal(Time(expected), schedule.Next(Time(after)));
    }

    [Fact]
    public void Parse_TzPrefix_ReadsTheFieldsInThatZone()
    {
        var schedule = CronSchedule.Parse("TZ=America/New_York 0 9 * * *", TimeZoneInfo.Utc);

        Assert.Equal(Time("2026-01-01T14:00:00Z"), schedule.Next(Time("2026-01-01T00:00:00Z")));
    }

    [Fact]
    public void Next_ThirtyFirstOfFebruary_IsNeverReached() =>
        Assert.Null(CronSchedule.Parse("0 0 31 2 *", TimeZoneInfo.Utc).Next(Time("2026-01-01T00:00:00Z")));

    [Theory]
    [InlineData("", "empty spec string")]
    [InlineData("* * *", "expected exactly 5 fields, found 3: [* * *]")]
    [InlineData("* * * * * *", "expected exactly 5 fields, found 6: [* * * * * *]")]
    [InlineData("70 * * * *", "end of range (70) above maximum (59): 70")]
    [InlineData("* * 0 * *", "beginning of range (0) below minimum (1): 0")]
    [InlineData("* * * * 7", "end of range (7) above maximum (6): 7")]
    [InlineData("5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1")]
    [InlineData("1-2-3 * * * *", "too many hyphens: 1-2-3")]
    [InlineData("*/2/3 * * * *", "too many slashes: */2/3")]
    [InlineData("*/0 * * * *", "step of range should be a positive number: */0")]
    [InlineData("x * * * *", "failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax")]
    [InlineData("* * * foo *", "failed to parse int from foo: strconv.Atoi: parsing \"foo\": invalid syntax")]
    [InlineData("@fortnightly", "unrecognized descriptor: @fortnightly")]
    [InlineData("@every soon", "failed to parse duration @every soon: time: invalid duration \"soon\"")]
    [InlineData("TZ=Nowhere/City * * * * *", "provided bad location Nowhere/City: unknown time zone Nowhere/City")]
    public void Error_Malformed_IsRobfigsMessage(string spec, string message) =>
        Assert.Equal(message, CronSchedule.Error(spec));

    [Theory]
    [InlineData("* * * * *")]
    [InlineData("@every 1h30m")]
    [InlineData("CRON_TZ=Europe/Paris 0 9 * * 1")]
    [InlineData("0 0 ? * SUN")]
    public void Error_Valid_IsNull(string spec) => Assert.Null(CronSchedule.Error(spec));

    private static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
}
