using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Tests.Registry.Admissionregistration;

/// <summary>ValidatingAdmissionPolicies and their bindings: defaults, key validation and columns.</summary>
public sealed class AdmissionPolicyStrategyTests
{
    private const string Group = "admissionregistration.k8s.io";

    [Fact]
    public void Create_Policy_DefaultsFailurePolicyAndMatchConstraints()
    {
        var policy = StoreSteps.Create(Group, Examples.Parse("{apiVersion: admissionregistration.k8s.io/v1, kind: ValidatingAdmissionPolicy, metadata: {name: p}, spec: {paramKind: {apiVersion: v1, kind: ConfigMap}, matchConstraints: {resourceRules: [{operations: [CREATE], apiGroups: [apps], apiVersions: [v1], resources: [deployments]}]}, validations: [{expression: 'object.spec.replicas <= 5'}]}}"), ns: null);

        Assert.Equal("\"Fail\"", JsonPath.Json(policy, "spec/failurePolicy"));
        Assert.Equal("\"Equivalent\"", JsonPath.Json(policy, "spec/matchConstraints/matchPolicy"));
        Assert.Equal("\"*\"", JsonPath.Json(policy, "spec/matchConstraints/resourceRules/0/scope"));
        Assert.Null(ValidationSteps.CreateMessage(Group, policy));
        Assert.Equal(["p", "1", "v1/ConfigMap", "0s"], StoreSteps.Cells(Group, "ValidatingAdmissionPolicy", policy, new TableContext(StoreSteps.Created)));
    }

    [Fact]
    public void Validate_PolicyWithoutRulesOrValidations_AnswersRequired() =>
        Assert.Equal(
            "ValidatingAdmissionPolicy.admissionregistration.k8s.io \"p\" is invalid: [spec.matchConstraints: Required value, spec.validations: Required value: validations or auditAnnotations must contain at least one item]",
            ValidationSteps.CreateMessage(Group, "{apiVersion: admissionregistration.k8s.io/v1, kind: ValidatingAdmissionPolicy, metadata: {name: p}, spec: {}}"));

    public static TheoryData<string, string?> Bindings() => new()
    {
        { "{policyName: p, validationActions: [Deny]}", null },
        { "{}", "ValidatingAdmissionPolicyBinding.admissionregistration.k8s.io \"b\" is invalid: [spec.policyName: Required value, spec.validationActions: Required value: at least one validation action is required]" },
        { "{policyName: p, validationActions: [Deny, Warn, Block]}",
            "ValidatingAdmissionPolicyBinding.admissionregistration.k8s.io \"b\" is invalid: [spec.validationActions[2]: Unsupported value: \"Block\": supported values: \"Audit\", \"Deny\", \"Warn\", spec.validationActions: Invalid value: []string{\"Deny\", \"Warn\", \"Block\"}: must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)]" },
    };

    [Theory]
    [MemberData(nameof(Bindings))]
    public void Validate_Binding_AnswersUpstreamMessage(string spec, string? expected) =>
        Assert.Equal(expected, ValidationSteps.CreateMessage(Group, "{apiVersion: admissionregistration.k8s.io/v1, kind: ValidatingAdmissionPolicyBinding, metadata: {name: b}, spec: " + spec + "}"));

    [Theory]
    [InlineData("", "<unset>")]
    [InlineData(", paramRef: {name: limits, namespace: ns}", "ns/limits")]
    [InlineData(", paramRef: {name: limits}", "*/limits")]
    [InlineData(", paramRef: {selector: {matchLabels: {env: prod}}}", "env=prod")]
    public void Columns_BindingParamRef_AsKubectlShows(string paramRef, string expected)
    {
        var binding = StoreSteps.Create(Group, Examples.Parse("{apiVersion: admissionregistration.k8s.io/v1, kind: ValidatingAdmissionPolicyBinding, metadata: {name: b}, spec: {policyName: p, validationActions: [Deny]" + paramRef + "}}"), ns: null);

        Assert.Equal(["b", "p", expected, "0s"], StoreSteps.Cells(Group, "ValidatingAdmissionPolicyBinding", binding, new TableContext(StoreSteps.Created)));
    }
}
