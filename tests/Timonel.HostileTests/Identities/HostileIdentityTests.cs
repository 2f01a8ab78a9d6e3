using Xunit.Abstractions;

namespace Timonel.HostileTests.Identities;

/// <summary>
/// The hostile suite's cases sent by identities that may do nothing: without credentials, with a bad token, and as an
/// authenticated user without bindings. Every case that addresses a resource is answered 401 or 403 as upstream
/// answers it, and the store lists the same before and after every batch.
/// </summary>
public sealed class HostileIdentityTests(HostileIdentityFixture fixture, ITestOutputHelper output) : IClassFixture<HostileIdentityFixture>
{
    public static TheoryData<string> Identities() => [.. HostileIdentity.All.Select(i => i.Name)];

    [SkippableTheory]
    [MemberData(nameof(Identities))]
    public async Task Send_EveryResourceCaseAsIdentityWithoutRights_IsRefusedAndWritesNothing(string identity)
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        var report = await fixture.Report(identity);
        foreach (var line in report.Table())
        {
            output.WriteLine(line);
        }

        foreach (var failing in report.Classes.Where(c => !c.Clean))
        {
            foreach (var line in failing.Lines().Take(12))
            {
                output.WriteLine(line);
            }
        }

        // The framing class alone has none: its cases are raw bytes sent with the admin's certificate.
        Assert.True(report.Cases >= 10_000, $"only {report.Cases} cases sent as {identity}");
        Assert.True(report.Classes.Single(c => c.Name == "rights").Cases > 500, "the rights class covers too few requests");
        Assert.True(report.Classes.All(c => c.Clean), string.Join('\n', report.Classes.Where(c => !c.Clean).SelectMany(c => c.Lines().Take(8))));
    }
}
