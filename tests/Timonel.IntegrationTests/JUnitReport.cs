using System.Xml.Linq;

namespace Timonel.IntegrationTests;

/// <summary>Reads the JUnit XML that <c>pytest --junitxml</c> writes.</summary>
public static class JUnitReport
{
    /// <summary>
    /// Every <c>testcase</c>, named <c>module.Class.test</c> with <paramref name="packagePrefix"/> cut from pytest's
    /// dotted class name; a <c>failure</c> or <c>error</c> child (an error is a failure outside the test body, as in
    /// setUpClass) makes it failed, a <c>skipped</c> child skipped.
    /// </summary>
    public static IReadOnlyList<PytestCase> Parse(string xml, string packagePrefix)
    {
        var cases = new List<PytestCase>();
        foreach (var testCase in XDocument.Parse(xml).Descendants("testcase"))
        {
            var className = (string?)testCase.Attribute("classname") ?? "";
            if (className.StartsWith(packagePrefix, StringComparison.Ordinal))
            {
                className = className[packagePrefix.Length..];
            }

            var name = className + "." + (string?)testCase.Attribute("name");
            var verdict = testCase.Elements().FirstOrDefault(e => e.Name.LocalName is "failure" or "error" or "skipped");
            var outcome = verdict?.Name.LocalName switch
            {
                null => PytestOutcome.Passed,
                "skipped" => PytestOutcome.Skipped,
                _ => PytestOutcome.Failed,
            };
            var message = verdict is null ? "" : (string?)verdict.Attribute("message") ?? verdict.Value;
            cases.Add(new PytestCase(name, outcome, message));
        }

        return cases;
    }
}
