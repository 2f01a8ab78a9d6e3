using System.Text.RegularExpressions;

namespace Timonel.Kustomize.Tests;

/// <summary>
/// Renders every case under Corpus/ in-process and compares with what `kubectl kustomize` (v5.5.0) printed for
/// it (Corpus/regenerate.sh): byte-identical stdout, same exit code, same warnings and error message.
/// </summary>
public sealed partial class CorpusTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(CorpusRoot()).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(dir));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Build_CorpusCase_MatchesKubectlKustomize(string name)
    {
        var dir = Path.Combine(CorpusRoot(), name);
        var warnings = new StringWriter { NewLine = "\n" };
        string stdout;
        int exitCode;
        try
        {
            stdout = Kustomizer.Build(dir, warnings);
            exitCode = 0;
        }
        catch (KustomizeException e)
        {
            stdout = "";
            warnings.Write("Error: " + e.Message + "\n");
            exitCode = 1;
        }
        var expectedExit = int.Parse(File.ReadAllText(Path.Combine(dir, "expected.exitcode")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var expectedStderr = Normalize(File.ReadAllText(Path.Combine(dir, "expected.stderr")));
        var actualStderr = Normalize(warnings.ToString().Replace(dir, "$CASE", StringComparison.Ordinal).Replace(Path.GetDirectoryName(dir)!, "$CORPUS", StringComparison.Ordinal));
        Assert.Equal(expectedStderr, actualStderr);
        Assert.Equal(expectedExit, exitCode);
        Assert.Equal(File.ReadAllText(Path.Combine(dir, "expected.stdout")), stdout);
    }

    [Fact]
    public void Corpus_HasAtLeastSixtyCases() => Assert.True(Cases().Count >= 60);

    // Go prints pointers in some messages (the generator struct); their values change from run to run.
    private static string Normalize(string s) => PointerRegex().Replace(s, "0xPTR");

    [GeneratedRegex("0x[0-9a-f]{6,}")]
    private static partial Regex PointerRegex();

    private static string CorpusRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "Timonel.slnx")))
        {
            dir = Path.GetDirectoryName(dir) ?? throw new InvalidOperationException("repository root not found");
        }
        return Path.Combine(dir, "tests", "Timonel.Kustomize.Tests", "Corpus");
    }
}
