using System.Diagnostics;

namespace Timonel.IntegrationTests;

/// <summary>
/// The official Python client's own end-to-end suite (vendored unchanged in tests/ThirdParty/python-client-e2e), run
/// with pytest against a cluster's kubeconfig from a temporary copy, so no bytecode or cache lands in the repository.
/// </summary>
public static class PythonClientSuite
{
    /// <summary>
    /// Debian's interpreter: python3-kubernetes and python3-pytest install there, and a python3 found first on PATH
    /// (pyenv, a virtualenv) may lack them.
    /// </summary>
    public const string Python = "/usr/bin/python3";

    /// <summary>Each test's own deadline (the harness conftest.py fails a test that runs longer).</summary>
    public const int TestTimeoutSeconds = 20;

    private const string PackagePrefix = "kubernetes.e2e_test.";
    private static readonly TimeSpan _runTimeout = TimeSpan.FromMinutes(10);
    private static readonly Lazy<string?> _skipReason = new(FindSkipReason);

    /// <summary>Why the suite cannot run on this machine (scripts/install-deps.sh installs what it needs), or null.</summary>
    public static string? SkipReason => _skipReason.Value;

    private static string SuiteDirectory => Path.Combine(ServerProcess.RepoRoot!, "tests", "ThirdParty", "python-client-e2e");

    private static string HarnessConftest => Path.Combine(ServerProcess.RepoRoot!, "tests", "Timonel.IntegrationTests", "PythonSuite", "conftest.py");

    public static async Task<PytestRun> RunAsync(string kubeconfig)
    {
        var root = Path.Combine(Path.GetTempPath(), "timonel-pysuite-" + Guid.NewGuid().ToString("N")[..10]);
        try
        {
            // Upstream runs from its source root: modules import kubernetes.e2e_test.base and open
            // kubernetes/e2e_test/test_yaml/... relative to the working directory.
            CopyDirectory(SuiteDirectory, Path.Combine(root, "kubernetes", "e2e_test"));
            File.Copy(HarnessConftest, Path.Combine(root, "conftest.py"));
            var junit = Path.Combine(root, "junit.xml");
            var (exitCode, output) = await RunPytestAsync(root, kubeconfig, junit);
            if (!File.Exists(junit))
            {
                throw new InvalidOperationException($"pytest exited with {exitCode} and wrote no report:\n{output}");
            }

            return new PytestRun(JUnitReport.Parse(await File.ReadAllTextAsync(junit), PackagePrefix), output);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunPytestAsync(string root, string kubeconfig, string junit)
    {
        var start = new ProcessStartInfo(Python)
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-m", "pytest", "-p", "no:cacheprovider", "-rA", "--junitxml=" + junit, "kubernetes/e2e_test" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["KUBECONFIG"] = kubeconfig;
        start.Environment["HOME"] = root;
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        start.Environment["E2E_TEST_TIMEOUT"] = TestTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(_runTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.EnumerateDirectories(from))
        {
            CopyDirectory(directory, Path.Combine(to, Path.GetFileName(directory)));
        }
    }

    private static string? FindSkipReason()
    {
        if (ServerProcess.RepoRoot is null || !Directory.Exists(SuiteDirectory))
        {
            return "the vendored suite tests/ThirdParty/python-client-e2e was not found above " + AppContext.BaseDirectory;
        }

        if (!File.Exists(Python))
        {
            return $"{Python} is not installed (scripts/install-deps.sh installs python3-kubernetes and python3-pytest)";
        }

        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-c", "import kubernetes, pytest" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? null
            : $"{Python} cannot import kubernetes and pytest (scripts/install-deps.sh installs python3-kubernetes and python3-pytest): {error.Trim()}";
    }
}
