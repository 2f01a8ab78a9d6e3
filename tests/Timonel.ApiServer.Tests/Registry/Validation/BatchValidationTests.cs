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
    public void Validate_ValidSchedule_HasNoErrors(string schedule) =>
        Assert.Null(ValidationSteps.CreateMessage("batch", $"kind: CronJob\nmetadata: {{name: c}}\nspec: {{schedule: '{schedule}', jobTemplate: {{spec: {{template: {PodTemplate}}}}}}}"));

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
