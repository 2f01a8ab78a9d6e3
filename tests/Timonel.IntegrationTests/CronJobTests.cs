using System.Globalization;
using System.Text.Json.Nodes;

namespace Timonel.IntegrationTests;

/// <summary>
/// CronJobs and the TTL-after-finished controller as kubectl sees them. No test waits for a wall-clock schedule time:
/// a cron job whose lastScheduleTime lies in the past has a missed time to run at once, and Jobs finish by a status
/// patch (as their controller would write it), so none depends on pods running.
/// </summary>
public sealed class CronJobTests : IClassFixture<SqliteClusterFixture>
{
    private const string CronJobYaml = """
        apiVersion: batch/v1
        kind: CronJob
        metadata:
          name: report
        spec:
          schedule: "*/5 * * * *"
          suspend: true
          jobTemplate:
            metadata:
              labels:
                app: report
            spec:
              template:
                spec:
                  restartPolicy: OnFailure
                  containers:
                  - name: report
                    image: busybox
        """;

    private readonly SqliteClusterFixture _fixture;

    public CronJobTests(SqliteClusterFixture fixture) => _fixture = fixture;

    private TestCluster Cluster => _fixture.Cluster;

    private Kubectl Kubectl => Cluster.Kubectl;

    [SkippableFact]
    public async Task CronJob_MissedScheduleTime_CreatesItsJobAtOnceAndKubectlShowsItActive()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync("cj");
        (await Kubectl.RunWithInputAsync(CronJobYaml, "create", "-n", ns, "-f", "-")).EnsureSuccess();
        var suspended = (await Kubectl.RunAsync("get", "cronjobs", "-n", ns)).EnsureSuccess().Stdout;

        // Ten minutes behind: at least one */5 time has passed since, the most recent of which runs now.
        var last = DateTime.UtcNow.AddMinutes(-10).ToString("yyyy-MM-dd'T'HH:mm:00'Z'", CultureInfo.InvariantCulture);
        (await Kubectl.RunAsync("patch", "cronjob", "report", "-n", ns, "--subresource=status", "--type=merge", "-p", "{\"status\":{\"lastScheduleTime\":\"" + last + "\"}}")).EnsureSuccess();
        (await Kubectl.RunAsync("patch", "cronjob", "report", "-n", ns, "--type=merge", "-p", """{"spec":{"suspend":false}}""")).EnsureSuccess();
        var active = await SimulatedClusterFixture.WaitAsync(Kubectl, "cronjob/report", "--for=jsonpath={.status.active[0].kind}=Job", ns);
        var cronJob = JsonNode.Parse((await Kubectl.RunAsync("get", "cronjob", "report", "-n", ns, "-o", "json")).EnsureSuccess().Stdout)!;
        var jobName = cronJob["status"]!["active"]![0]!["name"]!.GetValue<string>();
        var job = JsonNode.Parse((await Kubectl.RunAsync("get", "job", jobName, "-n", ns, "-o", "json")).EnsureSuccess().Stdout)!;
        var table = (await Kubectl.RunAsync("get", "cronjobs", "-n", ns)).EnsureSuccess().Stdout;
        var describe = (await Kubectl.RunAsync("describe", "cronjob", "report", "-n", ns)).EnsureSuccess().Stdout;

        Assert.Matches(@"^NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE\n", suspended);
        Assert.Matches(@"\nreport\s+\*/5 \* \* \* \*\s+<none>\s+True\s+0\s+\S+\s+\S+", suspended);
        Assert.True(active.ExitCode == 0, active.ToString());
        var scheduled = DateTimeOffset.Parse(job["metadata"]!["annotations"]!["batch.kubernetes.io/cronjob-scheduled-timestamp"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        Assert.Equal($"report-{scheduled.ToUnixTimeSeconds() / 60}", jobName);
        Assert.Equal(0, scheduled.Minute % 5);
        Assert.True(scheduled > DateTimeOffset.Parse(last, CultureInfo.InvariantCulture));
        Assert.Equal(scheduled, DateTimeOffset.Parse(cronJob["status"]!["lastScheduleTime"]!.GetValue<string>(), CultureInfo.InvariantCulture));
        Assert.Equal("report", job["metadata"]!["labels"]!["app"]!.GetValue<string>());
        var owner = job["metadata"]!["ownerReferences"]![0]!;
        Assert.Equal(("CronJob", "report", true), (owner["kind"]!.GetValue<string>(), owner["name"]!.GetValue<string>(), owner["controller"]!.GetValue<bool>()));
        Assert.Matches(@"\nreport\s+\*/5 \* \* \* \*\s+<none>\s+False\s+1\s+\d+[ms]\S*\s+\S+", table);
        Assert.Matches($@"Normal\s+SuccessfulCreate\s+.*cronjob-controller\s+Created job {jobName}", describe);
    }

    [SkippableFact]
    public async Task CronJob_ActiveJobCompletes_LeavesTheActiveListAndSetsLastSuccessfulTime()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync("cj");
        (await Kubectl.RunWithInputAsync(CronJobYaml, "create", "-n", ns, "-f", "-")).EnsureSuccess();
        var last = DateTime.UtcNow.AddMinutes(-10).ToString("yyyy-MM-dd'T'HH:mm:00'Z'", CultureInfo.InvariantCulture);
        (await Kubectl.RunAsync("patch", "cronjob", "report", "-n", ns, "--subresource=status", "--type=merge", "-p", "{\"status\":{\"lastScheduleTime\":\"" + last + "\"}}")).EnsureSuccess();
        (await Kubectl.RunAsync("patch", "cronjob", "report", "-n", ns, "--type=merge", "-p", """{"spec":{"suspend":false}}""")).EnsureSuccess();
        (await SimulatedClusterFixture.WaitAsync(Kubectl, "cronjob/report", "--for=jsonpath={.status.active[0].kind}=Job", ns)).EnsureSuccess();
        var jobName = (await Kubectl.RunAsync("get", "cronjob", "report", "-n", ns, "-o", "jsonpath={.status.active[0].name}")).EnsureSuccess().Stdout;

        await CompleteAsync(ns, jobName);
        var succeeded = await SimulatedClusterFixture.WaitAsync(Kubectl, "cronjob/report", "--for=jsonpath={.status.lastSuccessfulTime}", ns);
        var active = (await Kubectl.RunAsync("get", "cronjob", "report", "-n", ns, "-o", "jsonpath={.status.active}")).EnsureSuccess().Stdout;
        var events = (await Kubectl.RunAsync("get", "events", "-n", ns, "--field-selector", "reason=SawCompletedJob", "-o", "jsonpath={.items[*].message}")).EnsureSuccess().Stdout;

        Assert.True(succeeded.ExitCode == 0, succeeded.ToString());
        Assert.Equal(string.Empty, active);
        Assert.Equal($"Saw completed job: {jobName}, condition: Complete", events);
    }

    [SkippableFact]
    public async Task CreateJobFromCronJob_KubectlMakesAManualJobFromTheTemplate()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync("cj");
        (await Kubectl.RunWithInputAsync(CronJobYaml, "create", "-n", ns, "-f", "-")).EnsureSuccess();

        (await Kubectl.RunAsync("create", "job", "--from=cronjob/report", "report-manual", "-n", ns)).EnsureSuccess();
        var job = JsonNode.Parse((await Kubectl.RunAsync("get", "job", "report-manual", "-n", ns, "-o", "json")).EnsureSuccess().Stdout)!;

        Assert.Equal("manual", job["metadata"]!["annotations"]!["cronjob.kubernetes.io/instantiate"]!.GetValue<string>());
        Assert.Equal("report", job["metadata"]!["labels"]!["app"]!.GetValue<string>());
        Assert.Equal("busybox", job["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
        var owner = job["metadata"]!["ownerReferences"]![0]!;
        Assert.Equal(("CronJob", "report"), (owner["kind"]!.GetValue<string>(), owner["name"]!.GetValue<string>()));
    }

    [SkippableFact]
    public async Task CreateCronJob_BadScheduleOrTimeZone_RefusedWithUpstreamsMessages()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync("cj");

        var schedule = await Kubectl.RunAsync("create", "cronjob", "bad", "--image=busybox", "--schedule=61 * * * *", "-n", ns);
        var zone = await Kubectl.RunWithInputAsync(CronJobYaml.Replace("suspend: true", "timeZone: Mars/Olympus", StringComparison.Ordinal), "create", "-n", ns, "-f", "-");

        Assert.Contains("spec.schedule: Invalid value: \"61 * * * *\": end of range (61) above maximum (59): 61", schedule.Stderr, StringComparison.Ordinal);
        Assert.Contains("spec.timeZone: Invalid value: \"Mars/Olympus\": unknown time zone Mars/Olympus", zone.Stderr, StringComparison.Ordinal);
    }

    // What the Job controller writes when a Job succeeds (1.32 adds SuccessCriteriaMet before Complete).
    private async Task CompleteAsync(string ns, string job)
    {
        var now = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var status = $$$"""
            {"status":{"startTime":"{{{now}}}","completionTime":"{{{now}}}","succeeded":1,"conditions":[
            {"type":"SuccessCriteriaMet","status":"True","lastProbeTime":"{{{now}}}","lastTransitionTime":"{{{now}}}"},
            {"type":"Complete","status":"True","lastProbeTime":"{{{now}}}","lastTransitionTime":"{{{now}}}"}]}}
            """;
        (await Kubectl.RunAsync("patch", "job", job, "-n", ns, "--subresource=status", "--type=merge", "-p", status)).EnsureSuccess();
    }
}
