namespace Timonel.ApiServer.Tests.Registry.Node;

/// <summary>RuntimeClasses: ValidateRuntimeClass and ValidateRuntimeClassUpdate.</summary>
public sealed class RuntimeClassStrategyTests
{
    [Theory]
    [InlineData("runc", null)]
    [InlineData("Kata_Containers", "RuntimeClass.node.k8s.io \"rc\" is invalid: handler: Invalid value: \"Kata_Containers\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")]
    public void Validate_Handler_IsADnsLabel(string handler, string? expected) =>
        Assert.Equal(expected, ValidationSteps.CreateMessage("node.k8s.io", $"{{apiVersion: node.k8s.io/v1, kind: RuntimeClass, metadata: {{name: rc}}, handler: {handler}}}"));

    [Fact]
    public void ValidateUpdate_Handler_IsImmutable() =>
        Assert.Equal(
            "RuntimeClass.node.k8s.io \"rc\" is invalid: handler: Invalid value: \"kata\": field is immutable",
            ValidationSteps.UpdateMessage("node.k8s.io", "{apiVersion: node.k8s.io/v1, kind: RuntimeClass, metadata: {name: rc}, handler: runc}", rc => rc["handler"] = "kata"));

    [Theory]
    [InlineData("overhead: {podFixed: {cpu: -1}}", "RuntimeClass.node.k8s.io \"rc\" is invalid: overhead.limits[cpu]: Invalid value: \"-1\": must be greater than or equal to 0")]
    [InlineData("scheduling: {nodeSelector: {kind: gpu}, tolerations: [{key: gpu, operator: Equal, value: 'a b'}]}",
        "RuntimeClass.node.k8s.io \"rc\" is invalid: scheduling.tolerations.tolerations[0].operator: Invalid value: \"a b\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")]
    public void Validate_OverheadAndScheduling_AsUpstreamChecksThem(string fields, string expected) =>
        Assert.Equal(expected, ValidationSteps.CreateMessage("node.k8s.io", $"{{apiVersion: node.k8s.io/v1, kind: RuntimeClass, metadata: {{name: rc}}, handler: runc, {fields}}}"));
}
