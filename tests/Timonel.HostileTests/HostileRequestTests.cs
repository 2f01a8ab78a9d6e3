using Timonel.HostileTests.Classes;
using Xunit.Abstractions;

namespace Timonel.HostileTests;

/// <summary>
/// Issue 13's generated hostile-request suite: over 10,000 requests from a fixed seed against a real server, each
/// expecting upstream v1.32's answer, with the server ready and the store unchanged after every batch. One test per
/// class shows that class's figures and first failures; one more prints the whole table.
/// </summary>
public sealed class HostileRequestTests(HostileSuiteFixture fixture, ITestOutputHelper output) : IClassFixture<HostileSuiteFixture>
{
    private const int MinimumCases = 10_000;
    private static readonly TimeSpan _budget = TimeSpan.FromMinutes(2);

    public static TheoryData<string> ClassNames() => [.. HostileClasses.All.Select(c => c.Name)];

    [SkippableTheory]
    [MemberData(nameof(ClassNames))]
    public async Task Send_EveryCaseOfTheClass_AnswersAsUpstreamAndWritesNothing(string className)
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        var report = (await fixture.Report).Class(className);
        foreach (var line in report.Lines())
        {
            output.WriteLine(line);
        }

        Assert.True(report.Cases > 0, $"{className} generated no cases");
        Assert.True(report.Clean, string.Join('\n', report.Lines().Take(12)));
    }

    [SkippableFact]
    public async Task Send_WholeSuite_CoversTenThousandCasesWithinTwoMinutes()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        var report = await fixture.Report;
        foreach (var line in report.Table())
        {
            output.WriteLine(line);
        }

        Assert.True(report.Cases >= MinimumCases, $"{report.Cases} cases, fewer than {MinimumCases}");
        Assert.True(report.Elapsed < _budget, $"the suite took {report.Elapsed}, over {_budget}");
    }
}
