namespace Timonel.IntegrationTests;

/// <summary>
/// The job controller on <c>timonel server --simulated-nodes 3</c>, seen through the real kubectl: pods that run a
/// second (sim.timonel.io/run-seconds) complete a Job without ever exceeding its parallelism; an Indexed Job's pods
/// carry their indexes; a failing pod fails its Job past backoffLimit, or at once through a FailJob pod failure policy.
/// </summary>
public sealed class JobTests : IClassFixture<SimulatedClusterFixture>
{
    private readonly SimulatedClusterFixture _fixture;

    public JobTests(SimulatedClusterFixture fixture) => _fixture = fixture;

    private Kubectl Kubectl => _fixture.Kubectl;

    [SkippableFact]
    public async Task GetJobs_FiveCompletionsParallelismTwo_CompleteWithFiveSucceededNeverMoreThanTwoActive()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await CreateNamespaceAsync();
        using var watch = Kubectl.Start("get", "pods", "-n", ns, "-w", "-o", "jsonpath={.metadata.name} {.status.phase}{\"\\n\"}");
        var lines = ReadLinesAsync(watch.StandardOutput);
        try
        {
            (await Kubectl.RunWithInputAsync(JobYaml("pi", "completions: 5\n  parallelism: 2"), "apply", "-n", ns, "-f", "-")).EnsureSuccess();
            var complete = await SimulatedClusterFixture.WaitAsync(Kubectl, "job/pi", "--for=condition=Complete", ns);
            var table = (await Kubectl.RunAsync("get", "jobs", "-n", ns)).EnsureSuccess().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var status = (await Kubectl.RunAsync("get", "job", "pi", "-n", ns, "-o", "jsonpath={.status.succeeded} {.status.failed} {.status.active} {.status.conditions[*].type} {.status.conditions[*].reason}")).EnsureSuccess().Stdout;
            var finalizers = (await Kubectl.RunAsync("get", "pods", "-n", ns, "-l", "batch.kubernetes.io/job-name=pi", "-o", "jsonpath={range .items[*]}{.status.phase} {.metadata.finalizers}{\"\\n\"}{end}")).EnsureSuccess().Stdout;

            Assert.True(complete.ExitCode == 0, complete.ToString());
            Assert.Matches(@"^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE$", table[0]);
            Assert.Matches(@"^pi\s+Complete\s+5/5\s+\S+\s+\S+$", Assert.Single(table[1..]));
            Assert.Equal("5   SuccessCriteriaMet Complete CompletionsReached CompletionsReached", status);
            var pods = finalizers.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(5, pods.Length);
            Assert.All(pods, pod => Assert.StartsWith("Succeeded", pod, StringComparison.Ordinal));
            Assert.All(pods, pod => Assert.DoesNotContain("batch.kubernetes.io/job-tracking", pod, StringComparison.Ordinal));
        }
        finally
        {
            watch.Kill();
        }

        // Every pod's phase as the watch saw it change, in order: how many were active (not finished) at once.
        var phases = new Dictionary<string, string>(StringComparer.Ordinal);
        var maxActive = 0;
        foreach (var line in await lines)
        {
            var parts = line.Split(' ');
            phases[parts[0]] = parts.Length > 1 ? parts[1] : "";
            maxActive = Math.Max(maxActive, phases.Values.Count(p => p is not ("Succeeded" or "Failed")));
        }

        Assert.Equal(5, phases.Count);
        Assert.Equal(2, maxActive);
    }

    [SkippableFact]
    public async Task GetJob_IndexedThreeCompletions_PodsCarryIndexesZeroToTwoAndCompletedIndexes()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await CreateNamespaceAsync();

        (await Kubectl.RunWithInputAsync(JobYaml("indexed", "completions: 3\n  parallelism: 3\n  completionMode: Indexed"), "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        var complete = await SimulatedClusterFixture.WaitAsync(Kubectl, "job/indexed", "--for=condition=Complete", ns);
        var completed = (await Kubectl.RunAsync("get", "job", "indexed", "-n", ns, "-o", "jsonpath={.status.completedIndexes} {.status.succeeded}")).EnsureSuccess().Stdout;
        var pods = (await Kubectl.RunAsync("get", "pods", "-n", ns, "-o", "jsonpath={range .items[*]}{.metadata.annotations.batch\\.kubernetes\\.io/job-completion-index} {.metadata.labels.batch\\.kubernetes\\.io/job-completion-index} {.spec.hostname} {.metadata.name}{\"\\n\"}{end}")).EnsureSuccess().Stdout;

        Assert.True(complete.ExitCode == 0, complete.ToString());
        Assert.Equal("0-2 3", completed);
        var rows = pods.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(3, rows.Count);
        for (var i = 0; i < 3; i++)
        {
            Assert.Matches($@"^{i} {i} indexed-{i} indexed-{i}-[a-z0-9]{{5}}$", rows[i]);
        }
    }

    [SkippableFact]
    public async Task GetJob_PodExitsOneBackoffLimitZero_FailedWithBackoffLimitExceeded()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await CreateNamespaceAsync();

        (await Kubectl.RunWithInputAsync(JobYaml("failing", "backoffLimit: 0", exitCode: 1), "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        var failed = await SimulatedClusterFixture.WaitAsync(Kubectl, "job/failing", "--for=condition=Failed", ns);
        var row = (await Kubectl.RunAsync("get", "job", "failing", "-n", ns, "--no-headers")).EnsureSuccess().Stdout.Trim();
        var condition = (await Kubectl.RunAsync("get", "job", "failing", "-n", ns, "-o", "jsonpath={.status.failed} {.status.conditions[?(@.type==\"Failed\")].reason}: {.status.conditions[?(@.type==\"Failed\")].message}")).EnsureSuccess().Stdout;
        var events = (await Kubectl.RunAsync("get", "events", "-n", ns, "--field-selector", "involvedObject.name=failing", "-o", "jsonpath={range .items[*]}{.reason}{\"\\n\"}{end}")).EnsureSuccess().Stdout;

        Assert.True(failed.ExitCode == 0, failed.ToString());
        Assert.Matches(@"^failing\s+Failed\s+0/1\s+\S+\s+\S+$", row);
        Assert.Equal("1 BackoffLimitExceeded: Job has reached the specified backoff limit", condition);
        Assert.Contains("BackoffLimitExceeded", events.Split('\n'));
    }

    [SkippableFact]
    public async Task GetJob_PodFailurePolicyFailJobOnExitCode42_FailedWithPodFailurePolicyMessage()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await CreateNamespaceAsync();
        const string Policy = """
            completions: 2
              podFailurePolicy:
                rules:
                - action: FailJob
                  onExitCodes:
                    containerName: main
                    operator: In
                    values: [42]
            """;

        (await Kubectl.RunWithInputAsync(JobYaml("policy", Policy, exitCode: 42), "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        var failed = await SimulatedClusterFixture.WaitAsync(Kubectl, "job/policy", "--for=condition=Failed", ns);
        var condition = (await Kubectl.RunAsync("get", "job", "policy", "-n", ns, "-o", "jsonpath={.status.conditions[?(@.type==\"Failed\")].reason}: {.status.conditions[?(@.type==\"Failed\")].message}")).EnsureSuccess().Stdout;
        var pod = (await Kubectl.RunAsync("get", "pods", "-n", ns, "-o", "jsonpath={.items[0].metadata.name}")).EnsureSuccess().Stdout;

        Assert.True(failed.ExitCode == 0, failed.ToString());
        Assert.Equal($"PodFailurePolicy: Container main for pod {ns}/{pod} failed with exit code 42 matching FailJob rule at index 0", condition);
    }

    // A Job whose pods run a second on the simulated nodes, then exit with exitCode.
    [SkippableFact]
    public async Task Job_CompleteWithTtlSecondsAfterFinished_IsDeletedWithItsPodsByTheTtlController()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await CreateNamespaceAsync();

        (await Kubectl.RunWithInputAsync(JobYaml("migrate", "ttlSecondsAfterFinished: 1"), "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        var complete = await SimulatedClusterFixture.WaitAsync(Kubectl, "job/migrate", "--for=condition=Complete", ns);
        var deleted = await SimulatedClusterFixture.WaitAsync(Kubectl, "job/migrate", "--for=delete", ns);
        var podsLeft = await SimulatedClusterFixture.EventuallyAsync(
            async () => (await Kubectl.RunAsync("get", "pods", "-n", ns, "-l", "batch.kubernetes.io/job-name=migrate", "-o", "name")).EnsureSuccess().Stdout.Trim(),
            string.IsNullOrEmpty);

        Assert.True(complete.ExitCode == 0, complete.ToString());
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        Assert.Equal(string.Empty, podsLeft);
    }

    private static string JobYaml(string name, string spec, int exitCode = 0) => $$"""
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: {{name}}
        spec:
          {{spec}}
          template:
            metadata:
              annotations:
                sim.timonel.io/run-seconds: "1"
                sim.timonel.io/exit-code: "{{exitCode}}"
            spec:
              restartPolicy: Never
              containers:
              - name: main
                image: perl:5.34
                command: ["perl", "-e", "exit {{exitCode}}"]
        """;

    private static async Task<List<string>> ReadLinesAsync(StreamReader output)
    {
        var lines = new List<string>();
        while (await output.ReadLineAsync() is { } line)
        {
            if (!string.IsNullOrWhiteSpace(line))
            {
                lines.Add(line.Trim());
            }
        }

        return lines;
    }

    private async Task<string> CreateNamespaceAsync()
    {
        var ns = "job-" + Guid.NewGuid().ToString("N")[..8];
        (await Kubectl.RunAsync("create", "namespace", ns)).EnsureSuccess();
        return ns;
    }
}
