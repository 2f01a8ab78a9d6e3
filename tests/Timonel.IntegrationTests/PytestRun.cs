namespace Timonel.IntegrationTests;

/// <summary>What a pytest run reported: one entry per test, and what it printed (for failure messages).</summary>
public sealed record PytestRun(IReadOnlyList<PytestCase> Cases, string Output);
