using System.Text.Json.Nodes;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Tests.Registry.Batch;

public sealed class JobStrategyTests
{
    private const string Uid = "6f0b2c4e-1111-2222-3333-444455556666";

    private static readonly JsonObject _createdJob = StoreSteps.Create("batch", Examples.Parse("""
        apiVersion: batch/v1
        kind: Job
        metadata: {name: pi}
        spec:
          template:
            spec:
              containers: [{name: pi, image: perl:5.34.0, command: [perl, -e, print 1]}]
              restartPolicy: Never
        """));

    [Theory]
    [InlineData("spec/completions", "1")]
    [InlineData("spec/parallelism", "1")]
    [InlineData("spec/backoffLimit", "6")]
    [InlineData("spec/completionMode", "\"NonIndexed\"")]
    [InlineData("spec/suspend", "false")]
    [InlineData("spec/podReplacementPolicy", "\"TerminatingOrFailed\"")]
    [InlineData("spec/manualSelector", "missing")]
    [InlineData("spec/selector", "{\"matchLabels\":{\"batch.kubernetes.io/controller-uid\":\"" + Uid + "\"}}")]
    [InlineData("spec/template/metadata/labels", "{\"job-name\":\"pi\",\"batch.kubernetes.io/job-name\":\"pi\",\"controller-uid\":\"" + Uid + "\",\"batch.kubernetes.io/controller-uid\":\"" + Uid + "\"}")]
    // Upstream copies the (by then generated) template labels to a job without labels.
    [InlineData("metadata/labels", "{\"job-name\":\"pi\",\"batch.kubernetes.io/job-name\":\"pi\",\"controller-uid\":\"" + Uid + "\",\"batch.kubernetes.io/controller-uid\":\"" + Uid + "\"}")]
    [InlineData("spec/template/spec/restartPolicy", "\"Never\"")]
    [InlineData("spec/template/spec/terminationGracePeriodSeconds", "30")]
    public void Create_Job_HasDefaultsAndGeneratedSelector(string path, string expected) =>
        Assert.Equal(expected, JsonPath.Json(_createdJob, path));

    [Fact]
    public void Create_ManualSelector_IsLeftAlone()
    {
        var job = Examples.Parse("""
            kind: Job
            metadata: {name: j}
            spec:
              manualSelector: true
              selector: {matchLabels: {app: j}}
              template: {metadata: {labels: {app: j}}, spec: {containers: [{name: c, image: busybox}], restartPolicy: Never}}
            """);

        var created = StoreSteps.Create("batch", job);

        Assert.Equal("{\"matchLabels\":{\"app\":\"j\"}}", JsonPath.Json(created, "spec/selector"));
        Assert.Equal("{\"app\":\"j\"}", JsonPath.Json(created, "spec/template/metadata/labels"));
    }

    [Theory]
    [InlineData("{\"completions\":3}", "{\"succeeded\":1}", "Running", "1/3")]
    [InlineData("{\"parallelism\":4}", "{}", "Running", "0/1 of 4")]
    [InlineData("{\"completions\":1}", "{\"succeeded\":1,\"conditions\":[{\"type\":\"Complete\",\"status\":\"True\"}]}", "Complete", "1/1")]
    [InlineData("{\"completions\":1}", "{\"conditions\":[{\"type\":\"Failed\",\"status\":\"True\"}]}", "Failed", "0/1")]
    [InlineData("{\"completions\":1}", "{\"conditions\":[{\"type\":\"Suspended\",\"status\":\"True\"}]}", "Suspended", "0/1")]
    public void Cells_JobStatus_AsKubectlShows(string spec, string status, string expectedStatus, string expectedCompletions)
    {
        var job = new JsonObject { ["metadata"] = new JsonObject { ["name"] = "j" }, ["spec"] = JsonNode.Parse(spec), ["status"] = JsonNode.Parse(status) };
        var cells = StoreSteps.For("batch", "Job").Columns.Select(c => c.Cell(job, new TableContext(StoreSteps.Created))?.ToString()).ToList();

        Assert.Equal(expectedStatus, cells[1]);
        Assert.Equal(expectedCompletions, cells[2]);
    }

    [Fact]
    public void Cells_FinishedJob_ShowDurationFromStartToCompletion()
    {
        var job = JsonNode.Parse("{\"metadata\":{\"name\":\"j\"},\"spec\":{},\"status\":{\"startTime\":\"2026-01-02T03:00:00Z\",\"completionTime\":\"2026-01-02T03:00:42Z\"}}")!.AsObject();

        Assert.Equal("42s", StoreSteps.For("batch", "Job").Columns[3].Cell(job, new TableContext(StoreSteps.Created.AddDays(1)))?.ToString());
    }

    [Theory]
    [InlineData("spec/concurrencyPolicy", "\"Allow\"")]
    [InlineData("spec/suspend", "false")]
    [InlineData("spec/successfulJobsHistoryLimit", "3")]
    [InlineData("spec/failedJobsHistoryLimit", "1")]
    [InlineData("spec/jobTemplate/spec/template/spec/dnsPolicy", "\"ClusterFirst\"")]
    [InlineData("spec/jobTemplate/spec/backoffLimit", "missing")]
    public void Create_CronJob_HasUpstreamDefaults(string path, string expected)
    {
        var cronJob = Examples.Parse("""
            kind: CronJob
            metadata: {name: hello}
            spec:
              schedule: "* * * * *"
              jobTemplate:
                spec:
                  template:
                    spec:
                      containers: [{name: hello, image: busybox:1.28}]
                      restartPolicy: OnFailure
            """);

        Assert.Equal(expected, JsonPath.Json(StoreSteps.Create("batch", cronJob), path));
    }

    [Fact]
    public void Cells_CronJob_AsKubectlShows()
    {
        var cronJob = JsonNode.Parse("{\"metadata\":{\"name\":\"hello\",\"creationTimestamp\":\"2026-01-02T03:04:05Z\"},\"spec\":{\"schedule\":\"*/5 * * * *\",\"suspend\":false},\"status\":{}}")!.AsObject();

        var cells = StoreSteps.For("batch", "CronJob").Columns.Take(7).Select(c => c.Cell(cronJob, new TableContext(StoreSteps.Created.AddSeconds(30)))?.ToString());

        Assert.Equal(["hello", "*/5 * * * *", "<none>", "False", "0", "<none>", "30s"], cells);
    }
}
