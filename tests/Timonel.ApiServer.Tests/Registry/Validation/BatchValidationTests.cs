namespace Timonel.ApiServer.Tests.Registry.Validation;

/// <summary>Job and CronJob validation.</summary>
public sealed class BatchValidationTests
{
    private const string PodTemplate = "{spec: {restartPolicy: Never, containers: [{name: c, image: i}]}}";

    public static TheoryData<string, string> InvalidObjects() => new()
    {
        { "kind: Job\nmetadata: {name: j}\nspec: {template: {spec: {containers: [{name: c, image: i}]}}}", "Job.batch \"j\" is invalid: spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"" },
        { "kind: Job\nmetadata: {name: j}\nspec: {backoffLimit: -1, template: " + PodTemplate + "}", "Job.batch \"j\" is invalid: spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0" },
        { "kind: Job\nmetadata: {name: j}\nspec: {completionMode: Sometimes, template: " + PodTemplate + "}", "Job.batch \"j\" is invalid: spec.completionMode: Unsupported value: \"Sometimes\": supported values: \"NonIndexed\", \"Indexed\"" },
        { "kind: CronJob\nmetadata: {name: c}\nspec: {jobTemplate: {spec: {template: " + PodTemplate + "}}}", "CronJob.batch \"c\" is invalid: spec.schedule: Required value" },
        { "kind: CronJob\nmetadata: {name: c}\nspec: {schedule: '* * *', jobTemplate: {spec: {template: " + PodTemplate + "}}}", "CronJob.batch \"c\" is invalid: spec.schedule: Invalid value: \"* * *\": expected exactly 5 fields, found 3: [* * *]" },
        { "kind: CronJob\nmetadata: {name: c}\nspec: {schedule: '70 * * * *', jobTemplate: {spec: {template: " + PodTemplate + "}}}", "CronJob.batch \"c\" is invalid: spec.schedule: Invalid value: \"70 * * * *\": end of range (70) above maximum (59): 70" },
        { "kind: CronJob\nmetadata: {name: c}\nspec: {schedule: 'TZ=UTC 0 * * * *', jobTemplate: {spec: {template: " + PodTemplate + "}}}", "CronJob.batch \"c\" is invalid: spec.schedule: Invalid value: \"TZ=UTC 0 * * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead" },
        { "kind: CronJob\nmetadata: {name: c}\nspec: {schedule: '@every soon', jobTemplate: {spec: {template: " + PodTemplate + "}}}", "CronJob.batch \"c\" is invalid: spec.schedule: Invalid value: \"@every soon\": failed to parse duration @every soon: time: invalid duration \"soon\"" },
        { "kind: CronJob\nmetadata: {name: c}\nspec: {schedule: '@hourly', timeZone: Mars/Olympus, jobTemplate: {spec: {template: " + PodTemplate + "}}}", "CronJob.batch \"c\" is invalid: spec.timeZone: Invalid value: \"Mars/Olympus\": unknown time zone Mars/Olympus" },
        { "kind: CronJob\nmetadata: {name: c}\nspec: {schedule: '@hourly', timeZone: 'Pacific Standard Time', jobTemplate: {spec: {template: " + PodTemplate + "}}}", "CronJob.batch \"c\" is invalid: spec.timeZone: Invalid value: \"Pacific Standard Time\": unknown time zone Pacific Standard Time" },
        { "kind: CronJob\nmetadata: {name: c}\nspec: {schedule: '@hourly', timeZone: '', jobTemplate: {spec: {template: " + PodTemplate + "}}}", "CronJob.batch \"c\" is invalid: spec.timeZone: Invalid value: \"\": timeZone must be nil or non-empty string" },
        { "kind: CronJob\nmetadata: {name: c}\nspec: {schedule: '@hourly', timeZone: Local, jobTemplate: {spec: {template: " + PodTemplate + "}}}", "CronJob.batch \"c\" is invalid: spec.timeZone: Invalid value: \"Local\": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones" },
        { "kind: CronJob\nmetadata: {name: c}\nspec: {schedule: '@hourly', concurrencyPolicy: Sometimes, jobTemplate: {spec: {template: " + PodTemplate + "}}}", "CronJob.batch \"c\" is invalid: spec.concurrencyPolicy: Unsupported value: \"Sometimes\": supported values: \"Allow\", \"Forbid\", \"Replace\"" },
    };

    [Theory]
    [MemberData(nameof(InvalidObjects))]
    public void Validate_InvalidObject_AnswersUpstreamMessage(string yaml, string expected) =>
        Assert.Equal(expected, ValidationSteps.CreateMessage("batch", yaml));

    [Theory]
    [InlineData("*/5 * * * *")]
    [InlineData("0 9-17 * JAN-MAR mon-fri")]
    [InlineData("@daily")]
    [InlineData("@every 2h")]
    public void Validate_ValidSchedule_HasNoErrors(string schedule) =>
        Assert.Null(ValidationSteps.CreateMessage("batch", $"kind: CronJob\nmetadata: {{name: c}}\nspec: {{schedule: '{schedule}', jobTemplate: {{spec: {{template: {PodTemplate}}}}}}}"));

    [Theory]
    [InlineData("America/New_York")]
    [InlineData("Etc/GMT+5")]
    [InlineData("UTC")]
    public void Validate_IanaTimeZone_HasNoErrors(string timeZone) =>
        Assert.Null(ValidationSteps.CreateMessage("batch", $"kind: CronJob\nmetadata: {{name: c}}\nspec: {{schedule: '0 9 * * *', timeZone: '{timeZone}', jobTemplate: {{spec: {{template: {PodTemplate}}}}}}}"));

    [Fact]
    public void ValidateUpdate_JobParallelism_IsAllowedButCompletionsAreNot()
    {
        const string job = "kind: Job\nmetadata: {name: j}\nspec: {completions: 2, template: " + PodTemplate + "}";

        Assert.Null(ValidationSteps.UpdateMessage("batch", job, j => j["spec"]!["parallelism"] = 3));
        Assert.Equal(
            "Job.batch \"j\" is invalid: spec.completions: Invalid value: 3: field is immutable",
            ValidationSteps.UpdateMessage("batch", job, j => j["spec"]!["completions"] = 3));
    }
}
