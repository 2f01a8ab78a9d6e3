namespace Timonel.IntegrationTests;

/// <summary>
/// One test of a pytest run: <paramref name="Name"/> is <c>module.Class.test</c> (e.g.
/// <c>test_client.TestClient.test_pod_apis</c>); <paramref name="Message"/> is pytest's failure or skip text.
/// </summary>
public sealed record PytestCase(string Name, PytestOutcome Outcome, string Message);
