using System.Text.Json.Nodes;

namespace Timonel.ApiServer.Tests.Registry.Validation;

/// <summary>Pod create and update validation, with the messages a real 1.32 API server answers.</summary>
public sealed class PodValidationTests
{
    private const string Valid = "kind: Pod\nmetadata: {name: x}\nspec:\n  containers: [{name: c, image: nginx}]";

    public static TheoryData<string, string> InvalidSpecs() => new()
    {
        { "{}", "Pod \"x\" is invalid: spec.containers: Required value" },
        { "{containers: [{name: c, image: a}, {name: c, image: b}]}", "Pod \"x\" is invalid: spec.containers[1].name: Duplicate value: \"c\"" },
        { "{containers: [{name: C_1, image: a}]}", "Pod \"x\" is invalid: spec.containers[0].name: Invalid value: \"C_1\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')" },
        { "{containers: [{name: c}]}", "Pod \"x\" is invalid: spec.containers[0].image: Required value" },
        { "{containers: [{name: c, image: a, ports: [{containerPort: 70000}]}]}", "Pod \"x\" is invalid: spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive" },
        { "{containers: [{name: c, image: a, ports: [{containerPort: 80, protocol: HTTP}]}]}", "Pod \"x\" is invalid: spec.containers[0].ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"" },
        { "{containers: [{name: c, image: a, ports: [{containerPort: 80, name: web}, {containerPort: 81, name: web}]}]}", "Pod \"x\" is invalid: spec.containers[0].ports[1].name: Duplicate value: \"web\"" },
        { "{containers: [{name: c, image: a, env: [{name: 'A=B', value: x}]}]}", "Pod \"x\" is invalid: spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='" },
        { "{containers: [{name: c, image: a, env: [{name: A, valueFrom: {}}]}]}", "Pod \"x\" is invalid: spec.containers[0].env[0].valueFrom: Invalid value: \"\": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`" },
        { "{containers: [{name: c, image: a, env: [{name: A, value: v, valueFrom: {secretKeyRef: {name: s, key: k}}}]}]}", "Pod \"x\" is invalid: spec.containers[0].env[0].valueFrom: Invalid value: \"\": may not be specified when `value` is not empty" },
        { "{containers: [{name: c, image: a, envFrom: [{}]}]}", "Pod \"x\" is invalid: spec.containers[0].envFrom: Invalid value: \"\": must specify one of: `configMapRef` or `secretRef`" },
        { "{containers: [{name: c, image: a, resources: {requests: {cpu: '1'}, limits: {cpu: 500m}}}]}", "Pod \"x\" is invalid: spec.containers[0].resources.requests: Invalid value: \"1\": must be less than or equal to cpu limit of 500m" },
        { "{containers: [{name: c, image: a, resources: {requests: {cpu: '-1'}}}]}", "Pod \"x\" is invalid: spec.containers[0].resources.requests[cpu]: Invalid value: \"-1\": must be greater than or equal to 0" },
        { "{containers: [{name: c, image: a, livenessProbe: {periodSeconds: 5}}]}", "Pod \"x\" is invalid: spec.containers[0].livenessProbe: Required value: must specify a handler type" },
        { "{containers: [{name: c, image: a, readinessProbe: {exec: {command: [true]}, tcpSocket: {port: 80}}}]}", "Pod \"x\" is invalid: spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type" },
        { "{containers: [{name: c, image: a, livenessProbe: {tcpSocket: {port: 80}, successThreshold: 2}}]}", "Pod \"x\" is invalid: spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1" },
        { "{containers: [{name: c, image: a, volumeMounts: [{name: data, mountPath: /d}]}]}", "Pod \"x\" is invalid: spec.containers[0].volumeMounts[0].name: Not found: \"data\"" },
        { "{volumes: [{name: v, hostPath: {}}], containers: [{name: c, image: a}]}", "Pod \"x\" is invalid: spec.volumes[0].hostPath.path: Required value" },
        { "{volumes: [{name: v, emptyDir: {}}, {name: v, emptyDir: {}}], containers: [{name: c, image: a}]}", "Pod \"x\" is invalid: spec.volumes[1].name: Duplicate value: \"v\"" },
        { "{volumes: [{name: v, emptyDir: {}, configMap: {name: m}}], containers: [{name: c, image: a}]}", "Pod \"x\" is invalid: spec.volumes[0].configMap: Forbidden: may not specify more than 1 volume type" },
        { "{volumes: [{name: v, secret: {}}], containers: [{name: c, image: a}]}", "Pod \"x\" is invalid: spec.volumes[0].secret.secretName: Required value" },
        { "{restartPolicy: Sometimes, containers: [{name: c, image: a}]}", "Pod \"x\" is invalid: spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"" },
        { "{dnsPolicy: Cluster, containers: [{name: c, image: a}]}", "Pod \"x\" is invalid: spec.dnsPolicy: Unsupported value: \"Cluster\": supported values: \"ClusterFirstWithHostNet\", \"ClusterFirst\", \"Default\", \"None\"" },
        { "{initContainers: [{name: c, image: a}], containers: [{name: c, image: a}]}", "Pod \"x\" is invalid: spec.initContainers[0].name: Duplicate value: \"c\"" },
        { "{activeDeadlineSeconds: 0, containers: [{name: c, image: a}]}", "Pod \"x\" is invalid: spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive" },
    };

    [Theory]
    [MemberData(nameof(InvalidSpecs))]
    public void Validate_InvalidPodSpec_AnswersUpstreamMessage(string spec, string expected) =>
        Assert.Equal(expected, ValidationSteps.CreateMessage("", "kind: Pod\nmetadata: {name: x}\nspec: " + spec));

    [Fact]
    public void Validate_SeveralErrors_AreListedInBrackets() =>
        Assert.Equal(
            "Pod \"x\" is invalid: [spec.containers[0].image: Required value, spec.containers[1].name: Duplicate value: \"c\"]",
            ValidationSteps.CreateMessage("", "kind: Pod\nmetadata: {name: x}\nspec: {containers: [{name: c}, {name: c, image: b}]}"));

    [Fact]
    public void ValidateUpdate_ImageChange_IsAllowed() =>
        Assert.Null(ValidationSteps.UpdateMessage("", Valid, pod => pod["spec"]!["containers"]![0]!["image"] = "nginx:2"));

    [Fact]
    public void ValidateUpdate_OtherSpecField_IsForbiddenWithUpstreamMessage()
    {
        var message = ValidationSteps.UpdateMessage("", Valid, pod => pod["spec"]!["restartPolicy"] = "Never");

        Assert.StartsWith(
            "Pod \"x\" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n",
            message);
        Assert.Contains("- \trestartPolicy: \"Always\"", message, StringComparison.Ordinal);
        Assert.Contains("+ \trestartPolicy: \"Never\"", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateUpdate_AddedContainer_IsForbidden() =>
        Assert.Equal(
            "Pod \"x\" is invalid: spec.containers: Forbidden: pod updates may not add or remove containers",
            ValidationSteps.UpdateMessage("", Valid, pod => pod["spec"]!["containers"]!.AsArray().Add(new JsonObject { ["name"] = "d", ["image"] = "b" })));

    [Fact]
    public void ValidateUpdate_RaisedActiveDeadline_IsRejected() =>
        Assert.Equal(
            "Pod \"x\" is invalid: spec.activeDeadlineSeconds: Invalid value: 20: must be less than or equal to previous value",
            ValidationSteps.UpdateMessage("", Valid.Replace("spec:\n", "spec:\n  activeDeadlineSeconds: 10\n", StringComparison.Ordinal), pod => pod["spec"]!["activeDeadlineSeconds"] = 20));
}
