namespace Timonel.ApiServer.Tests.Registry.Validation;

/// <summary>Deployment, ReplicaSet, DaemonSet and StatefulSet validation.</summary>
public sealed class WorkloadValidationTests
{
    private const string Template = "template: {metadata: {labels: {app: a}}, spec: {containers: [{name: c, image: i}]}}";

    public static TheoryData<string, string, string> InvalidWorkloads() => new()
    {
        { "Deployment", "{selector: {matchLabels: {app: b}}, " + Template + "}", "Deployment.apps \"w\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"a\"}: `selector` does not match template `labels`" },
        { "Deployment", "{" + Template + "}", "Deployment.apps \"w\" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"a\"}: `selector` does not match template `labels`]" },
        { "Deployment", "{replicas: -1, selector: {matchLabels: {app: a}}, " + Template + "}", "Deployment.apps \"w\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0" },
        { "Deployment", "{selector: {matchLabels: {app: a}}, template: {metadata: {labels: {app: a}}, spec: {restartPolicy: Never, containers: [{name: c, image: i}]}}}", "Deployment.apps \"w\" is invalid: spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"" },
        { "Deployment", "{selector: {matchLabels: {app: a}}, strategy: {type: Recreate, rollingUpdate: {}}, " + Template + "}", "Deployment.apps \"w\" is invalid: spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'" },
        { "Deployment", "{selector: {matchLabels: {app: a}}, template: {metadata: {labels: {app: a}}, spec: {containers: []}}}", "Deployment.apps \"w\" is invalid: spec.template.spec.containers: Required value" },
        { "ReplicaSet", "{selector: {}, " + Template + "}", "ReplicaSet.apps \"w\" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment" },
        { "DaemonSet", "{selector: {matchLabels: {app: b}}, " + Template + "}", "DaemonSet.apps \"w\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"a\"}: `selector` does not match template `labels`" },
        { "StatefulSet", "{selector: {matchLabels: {app: a}}, serviceName: s, template: {metadata: {labels: {app: a}}, spec: {restartPolicy: OnFailure, containers: [{name: c, image: i}]}}}", "StatefulSet.apps \"w\" is invalid: spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\"" },
    };

    [Theory]
    [MemberData(nameof(InvalidWorkloads))]
    public void Validate_InvalidWorkload_AnswersUpstreamMessage(string kind, string spec, string expected) =>
        Assert.Equal(expected, ValidationSteps.CreateMessage("apps", $"kind: {kind}\nmetadata: {{name: w}}\nspec: {spec}"));

    [Theory]
    [InlineData("Deployment")]
    [InlineData("ReplicaSet")]
    [InlineData("DaemonSet")]
    public void ValidateUpdate_ChangedSelector_IsImmutable(string kind)
    {
        var message = ValidationSteps.UpdateMessage("apps", $"kind: {kind}\nmetadata: {{name: w}}\nspec: {{selector: {{matchLabels: {{app: a}}}}, {Template}}}", w =>
        {
            w["spec"]!["selector"]!["matchLabels"]!["tier"] = "x";
            w["spec"]!["template"]!["metadata"]!["labels"]!["tier"] = "x";
        });

        Assert.Equal($"{kind}.apps \"w\" is invalid: spec.selector: Invalid value: v1.LabelSelector{{MatchLabels:map[string]string{{\"app\":\"a\", \"tier\":\"x\"}}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}}: field is immutable", message);
    }

    [Fact]
    public void ValidateUpdate_StatefulSetServiceName_IsForbidden() =>
        Assert.Equal(
            "StatefulSet.apps \"w\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
            ValidationSteps.UpdateMessage("apps", $"kind: StatefulSet\nmetadata: {{name: w}}\nspec: {{serviceName: s, selector: {{matchLabels: {{app: a}}}}, {Template}}}", w => w["spec"]!["serviceName"] = "t"));

    [Fact]
    public void ValidateUpdate_StatefulSetReplicas_IsAllowed() =>
        Assert.Null(ValidationSteps.UpdateMessage("apps", $"kind: StatefulSet\nmetadata: {{name: w}}\nspec: {{serviceName: s, selector: {{matchLabels: {{app: a}}}}, {Template}}}", w => w["spec"]!["replicas"] = 3));
}
