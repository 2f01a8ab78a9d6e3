using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Tests.Registry.Admissionregistration;

/// <summary>Webhook configurations: SetDefaults_*Webhook and validateValidatingWebhook / validateMutatingWebhook.</summary>
public sealed class WebhookConfigurationStrategyTests
{
    private const string Valid = "{name: check.example.com, sideEffects: None, admissionReviewVersions: [v1], clientConfig: {service: {namespace: ns, name: hook}}, rules: [{operations: [CREATE], apiGroups: [''], apiVersions: [v1], resources: [pods]}]}";

    [Fact]
    public void Create_MutatingWebhook_GetsUpstreamDefaults()
    {
        var configuration = StoreSteps.Create("admissionregistration.k8s.io", Examples.Parse("{apiVersion: admissionregistration.k8s.io/v1, kind: MutatingWebhookConfiguration, metadata: {name: m}, webhooks: [" + Valid + "]}"), ns: null);

        Assert.Equal("\"Fail\"", JsonPath.Json(configuration, "webhooks/0/failurePolicy"));
        Assert.Equal("\"Equivalent\"", JsonPath.Json(configuration, "webhooks/0/matchPolicy"));
        Assert.Equal("{}", JsonPath.Json(configuration, "webhooks/0/namespaceSelector"));
        Assert.Equal("{}", JsonPath.Json(configuration, "webhooks/0/objectSelector"));
        Assert.Equal("10", JsonPath.Json(configuration, "webhooks/0/timeoutSeconds"));
        Assert.Equal("\"Never\"", JsonPath.Json(configuration, "webhooks/0/reinvocationPolicy"));
        Assert.Equal("\"*\"", JsonPath.Json(configuration, "webhooks/0/rules/0/scope"));
        Assert.Equal("443", JsonPath.Json(configuration, "webhooks/0/clientConfig/service/port"));
        Assert.Equal("1", JsonPath.Json(configuration, "metadata/generation"));
        Assert.Equal(["m", "1", "0s"], StoreSteps.Cells("admissionregistration.k8s.io", "MutatingWebhookConfiguration", configuration, new TableContext(StoreSteps.Created)));
    }

    public static TheoryData<string, string?> Webhooks() => new()
    {
        { Valid, null },
        { "{name: check, sideEffects: None, admissionReviewVersions: [v1], clientConfig: {url: 'https://hook.example.com'}}",
            "ValidatingWebhookConfiguration.admissionregistration.k8s.io \"v\" is invalid: webhooks[0].name: Invalid value: \"check\": should be a domain with at least three segments separated by dots" },
        { "{name: a.b.c, clientConfig: {}}",
            "ValidatingWebhookConfiguration.admissionregistration.k8s.io \"v\" is invalid: [webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun, webhooks[0].admissionReviewVersions: Required value: must specify one of v1, v1beta1, webhooks[0].clientConfig: Required value: exactly one of url or service is required]" },
        { "{name: a.b.c, sideEffects: Some, timeoutSeconds: 31, admissionReviewVersions: [v2], clientConfig: {url: 'http://hook.example.com'}}",
            "ValidatingWebhookConfiguration.admissionregistration.k8s.io \"v\" is invalid: [webhooks[0].sideEffects: Unsupported value: \"Some\": supported values: \"None\", \"NoneOnDryRun\", webhooks[0].timeoutSeconds: Invalid value: 31: the timeout value must be between 1 and 30 seconds, webhooks[0].admissionReviewVersions: Invalid value: []string{\"v2\"}: must include at least one of v1, v1beta1, webhooks[0].clientConfig.url: Invalid value: \"http\": 'https' is the only allowed URL scheme]" },
    };

    [Theory]
    [MemberData(nameof(Webhooks))]
    public void Validate_ValidatingWebhook_AnswersUpstreamMessage(string webhook, string? expected) =>
        Assert.Equal(expected, ValidationSteps.CreateMessage("admissionregistration.k8s.io", "{apiVersion: admissionregistration.k8s.io/v1, kind: ValidatingWebhookConfiguration, metadata: {name: v}, webhooks: [" + webhook + "]}"));

    [Fact]
    public void Validate_DuplicateWebhookNames_AnswersDuplicateValue() =>
        Assert.Equal(
            "ValidatingWebhookConfiguration.admissionregistration.k8s.io \"v\" is invalid: webhooks[1].name: Duplicate value: \"check.example.com\"",
            ValidationSteps.CreateMessage("admissionregistration.k8s.io", "{apiVersion: admissionregistration.k8s.io/v1, kind: ValidatingWebhookConfiguration, metadata: {name: v}, webhooks: [" + Valid + ", " + Valid + "]}"));
}
