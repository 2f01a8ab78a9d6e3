namespace Timonel.IntegrationTests;

/// <summary>How one pytest test ended, as its JUnit XML record says.</summary>
public enum PytestOutcome
{
    Passed,
    Failed,
    Skipped,
}
