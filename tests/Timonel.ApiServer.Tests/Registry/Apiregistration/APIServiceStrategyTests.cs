using Timonel.ApiServer.Registry;
using Timonel.ApiServer.Registry.Apiregistration;

namespace Timonel.ApiServer.Tests.Registry.Apiregistration;

/// <summary>APIServices: ValidateAPIService, the local availability status, and the aggregator's printer.</summary>
public sealed class APIServiceStrategyTests
{
    private const string Local = "{apiVersion: apiregistration.k8s.io/v1, kind: APIService, metadata: {name: v1.apps}, spec: {group: apps, version: v1, groupPriorityMinimum: 17800, versionPriority: 15}}";

    public static TheoryData<string, string?> Services() => new()
    {
        { Local, null },
        { "{apiVersion: apiregistration.k8s.io/v1, kind: APIService, metadata: {name: v1.batch}, spec: {group: apps, version: v1, groupPriorityMinimum: 1, versionPriority: 1}}",
            "APIService.apiregistration.k8s.io \"v1.batch\" is invalid: metadata.name: Invalid value: \"v1.batch\": must be `spec.version+\".\"+spec.group`: \"v1.apps\"" },
        { "{apiVersion: apiregistration.k8s.io/v1, kind: APIService, metadata: {name: v2.}, spec: {version: v2, groupPriorityMinimum: 0, versionPriority: 2000}}",
            "APIService.apiregistration.k8s.io \"v2.\" is invalid: [spec.group: Required value: only v1 may have an empty group and it better be legacy kube, spec.groupPriorityMinimum: Invalid value: 0: must be positive and less than 20000, spec.versionPriority: Invalid value: 2000: must be positive and less than 1000]" },
        { "{apiVersion: apiregistration.k8s.io/v1, kind: APIService, metadata: {name: v1.example.com}, spec: {group: example.com, version: v1, groupPriorityMinimum: 1, versionPriority: 1, service: {port: 70000}}}",
            "APIService.apiregistration.k8s.io \"v1.example.com\" is invalid: [spec.service.namespace: Required value, spec.service.name: Required value, spec.service.port: Invalid value: 70000: port is not valid: must be between 1 and 65535, inclusive]" },
    };

    [Theory]
    [MemberData(nameof(Services))]
    public void Validate_APIService_AnswersUpstreamMessage(string yaml, string? expected) =>
        Assert.Equal(expected, ValidationSteps.CreateMessage("apiregistration.k8s.io", yaml));

    [Fact]
    public void Create_LocalAPIService_IsAvailableAsLocal()
    {
        var apiService = StoreSteps.Create("apiregistration.k8s.io", Examples.Parse(Local), ns: null);

        Assert.Equal("\"Local\"", JsonPath.Json(apiService, "status/conditions/0/reason"));
        Assert.Equal("\"Local APIServices are always available\"", JsonPath.Json(apiService, "status/conditions/0/message"));
        Assert.Equal(["v1.apps", "Local", "True", "0s"], StoreSteps.Cells("apiregistration.k8s.io", "APIService", apiService, new TableContext(StoreSteps.Created)));
    }

    [Fact]
    public void Create_ServiceBackedAPIService_DefaultsPortAndIsUnknown()
    {
        var apiService = StoreSteps.Create("apiregistration.k8s.io", Examples.Parse("{apiVersion: apiregistration.k8s.io/v1, kind: APIService, metadata: {name: v1beta1.metrics.k8s.io}, spec: {group: metrics.k8s.io, version: v1beta1, groupPriorityMinimum: 100, versionPriority: 100, service: {namespace: kube-system, name: metrics-server}}}"), ns: null);

        Assert.Equal("443", JsonPath.Json(apiService, "spec/service/port"));
        Assert.Equal(["v1beta1.metrics.k8s.io", "kube-system/metrics-server", "Unknown", "0s"], StoreSteps.Cells("apiregistration.k8s.io", "APIService", apiService, new TableContext(StoreSteps.Created)));
    }

    [Fact]
    public void For_BuiltInAndCustomGroupVersions_TakeUpstreamPriorities()
    {
        var services = LocalAPIServices.For([("", "v1", true), ("autoscaling", "v2", true), ("example.com", "v1", false), ("unknown.k8s.io", "v1", true)]).ToList();

        Assert.Equal(["v1.", "v2.autoscaling", "v1.example.com"], services.Select(s => s.Name()));
        Assert.Equal(["18000/1", "17500/30", "1000/100"], services.Select(s => $"{JsonPath.Json(s, "spec/groupPriorityMinimum")}/{JsonPath.Json(s, "spec/versionPriority")}"));
        Assert.Equal(["\"onstart\"", "\"onstart\"", "\"true\""], services.Select(s => s["metadata"]!["labels"]![LocalAPIServices.AutomanagedLabel]!.ToJsonString()));
    }
}
