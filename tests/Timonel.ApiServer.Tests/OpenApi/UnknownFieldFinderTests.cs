using System.Text.Json.Nodes;
using Timonel.ApiServer.OpenApi;

namespace Timonel.ApiServer.Tests.OpenApi;

/// <summary>
/// The typed walk refuses what upstream's decoder refuses, in its words (encoding/json, intstr, resource.Quantity,
/// metav1.Time, encoding/base64), so nothing a typed client cannot read reaches the store.
/// </summary>
public sealed class UnknownFieldFinderTests
{
    private const string Time = "\"2006-01-02T15:04:05Z07:00\"";
    private const string MicroTime = "\"2006-01-02T15:04:05.000000Z07:00\"";

    private static readonly OpenApiService _service = new();

    public static TheoryData<string, string, string> Refused => new()
    {
        // Integers: strconv.ParseInt, then the field's size (encoding/json literalStore).
        { "Deployment", """{"spec":{"replicas":4294967297}}""", "json: cannot unmarshal number 4294967297 into Go struct field DeploymentSpec.spec.replicas of type int32" },
        { "Deployment", """{"spec":{"replicas":2147483648}}""", "json: cannot unmarshal number 2147483648 into Go struct field DeploymentSpec.spec.replicas of type int32" },
        { "Deployment", """{"spec":{"replicas":-2147483649}}""", "json: cannot unmarshal number -2147483649 into Go struct field DeploymentSpec.spec.replicas of type int32" },
        { "Deployment", """{"spec":{"replicas":1e3}}""", "json: cannot unmarshal number 1e3 into Go struct field DeploymentSpec.spec.replicas of type int32" },
        { "Deployment", """{"spec":{"replicas":1e400}}""", "json: cannot unmarshal number 1e400 into Go struct field DeploymentSpec.spec.replicas of type int32" },
        { "Deployment", """{"spec":{"replicas":-1e400}}""", "json: cannot unmarshal number -1e400 into Go struct field DeploymentSpec.spec.replicas of type int32" },
        { "Deployment", """{"spec":{"replicas":1.0}}""", "json: cannot unmarshal number 1.0 into Go struct field DeploymentSpec.spec.replicas of type int32" },
        { "Deployment", """{"spec":{"replicas":"3"}}""", "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32" },
        { "Deployment", """{"spec":{"template":{"spec":{"terminationGracePeriodSeconds":9223372036854775808}}}}""", "json: cannot unmarshal number 9223372036854775808 into Go struct field PodSpec.spec.template.spec.terminationGracePeriodSeconds of type int64" },
        // The Go path has field names only: no list indexes.
        { "Pod", """{"spec":{"containers":[{"name":"a"},{"name":"b","ports":[{"containerPort":65536.5}]}]}}""", "json: cannot unmarshal number 65536.5 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32" },
        // intstr.IntOrString.UnmarshalJSON: anything but a string goes to json.Unmarshal into its int32.
        { "Deployment", """{"spec":{"strategy":{"rollingUpdate":{"maxSurge":{}}}}}""", "json: cannot unmarshal object into Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate.maxSurge of type int32" },
        { "Deployment", """{"spec":{"strategy":{"rollingUpdate":{"maxUnavailable":[]}}}}""", "json: cannot unmarshal array into Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate.maxUnavailable of type int32" },
        { "Deployment", """{"spec":{"strategy":{"rollingUpdate":{"maxSurge":true}}}}""", "json: cannot unmarshal bool into Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate.maxSurge of type int32" },
        { "Service", """{"spec":{"ports":[{"port":80,"targetPort":1.5}]}}""", "json: cannot unmarshal number 1.5 into Go struct field ServicePort.spec.ports.targetPort of type int32" },
        { "Pod", """{"spec":{"containers":[{"name":"a","livenessProbe":{"httpGet":{"port":4294967296}}}]}}""", "json: cannot unmarshal number 4294967296 into Go struct field HTTPGetAction.spec.containers.livenessProbe.httpGet.port of type int32" },
        // An error an UnmarshalJSON returns ends decoding and wins over a type error saved before it.
        { "Deployment", """{"spec":{"replicas":"x","strategy":{"rollingUpdate":{"maxSurge":{}}}}}""", "json: cannot unmarshal object into Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate.maxSurge of type int32" },
        // resource.Quantity.UnmarshalJSON: ParseQuantity of the string or of the raw JSON.
        { "Pod", """{"spec":{"containers":[{"name":"a","resources":{"limits":{"cpu":"lots"}}}]}}""", "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'" },
        { "Pod", """{"spec":{"containers":[{"name":"a","resources":{"requests":{"memory":{}}}}]}}""", "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'" },
        { "Pod", """{"spec":{"containers":[{"name":"a","resources":{"requests":{"memory":true}}}]}}""", "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'" },
        { "Pod", """{"spec":{"containers":[{"name":"a","resources":{"requests":{"memory":"1ki"}}}]}}""", "unable to parse quantity's suffix" },
        // metav1.Time.UnmarshalJSON: json.Unmarshal into a string, then time.Parse(time.RFC3339, ...).
        { "ConfigMap", """{"metadata":{"creationTimestamp":5}}""", "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type string" },
        { "ConfigMap", """{"metadata":{"creationTimestamp":"garbage"}}""", $"parsing time \"garbage\" as {Time}: cannot parse \"garbage\" as \"2006\"" },
        { "ConfigMap", """{"metadata":{"creationTimestamp":"2024-01-01 10:00:00Z"}}""", $"parsing time \"2024-01-01 10:00:00Z\" as {Time}: cannot parse \" 10:00:00Z\" as \"T\"" },
        { "ConfigMap", """{"metadata":{"creationTimestamp":"2024-01-01T10:00:00"}}""", $"parsing time \"2024-01-01T10:00:00\" as {Time}: cannot parse \"\" as \"Z07:00\"" },
        { "ConfigMap", """{"metadata":{"creationTimestamp":"2024-1-01T10:00:00Z"}}""", $"parsing time \"2024-1-01T10:00:00Z\" as {Time}: cannot parse \"1-01T10:00:00Z\" as \"01\"" },
        { "ConfigMap", """{"metadata":{"creationTimestamp":"2024-13-01T10:00:00Z"}}""", "parsing time \"2024-13-01T10:00:00Z\": month out of range" },
        { "ConfigMap", """{"metadata":{"creationTimestamp":"2023-02-29T10:00:00Z"}}""", "parsing time \"2023-02-29T10:00:00Z\": day out of range" },
        { "ConfigMap", """{"metadata":{"creationTimestamp":"2024-01-01T24:00:00Z"}}""", "parsing time \"2024-01-01T24:00:00Z\": hour out of range" },
        { "ConfigMap", """{"metadata":{"creationTimestamp":"2024-01-01T10:00:00Zjunk"}}""", "parsing time \"2024-01-01T10:00:00Zjunk\": extra text: \"junk\"" },
        { "ConfigMap", """{"metadata":{"creationTimestamp":"\"é"}}""", $"parsing time \"\\\"\\xc3\\xa9\" as {Time}: cannot parse \"\\\"\\xc3\\xa9\" as \"2006\"" },
        // metav1.MicroTime (Event eventTime, Lease renewTime...): RFC3339Micro, exactly six fractional digits.
        { "Event", """{"eventTime":"x"}""", $"parsing time \"x\" as {MicroTime}: cannot parse \"x\" as \"2006\"" },
        { "Event", """{"eventTime":"2024-01-01T10:00:00Z"}""", $"parsing time \"2024-01-01T10:00:00Z\" as {MicroTime}: cannot parse \"Z\" as \".000000\"" },
        { "Event", """{"eventTime":"2024-01-01T10:00:00.123Z"}""", $"parsing time \"2024-01-01T10:00:00.123Z\" as {MicroTime}: cannot parse \".123Z\" as \".000000\"" },
        { "Event", """{"eventTime":"2024-01-01T10:00:00.123456789Z"}""", $"parsing time \"2024-01-01T10:00:00.123456789Z\" as {MicroTime}: cannot parse \"789Z\" as \"Z07:00\"" },
        { "Lease", """{"spec":{"renewTime":5}}""", "json: cannot unmarshal number into Go struct field LeaseSpec.spec.renewTime of type string" },
        // []byte: base64.StdEncoding.Decode, whose error encoding/json reports as it is.
        { "Secret", """{"data":{"a":"!!!!"}}""", "illegal base64 data at input byte 0" },
        { "Secret", """{"data":{"a":"abc"}}""", "illegal base64 data at input byte 0" },
        { "Secret", """{"data":{"a":"YQ="}}""", "illegal base64 data at input byte 3" },
        { "Secret", """{"data":{"a":"YQ==YQ=="}}""", "illegal base64 data at input byte 4" },
        { "Secret", """{"data":{"a":"YWJj ZGVm"}}""", "illegal base64 data at input byte 4" },
        { "ConfigMap", """{"binaryData":{"a":"a=bc"}}""", "illegal base64 data at input byte 1" },
        // float64: strconv.ParseFloat's range error.
        { "CustomResourceDefinition", """{"spec":{"versions":[{"name":"v1","schema":{"openAPIV3Schema":{"maximum":1e400}}}]}}""", "json: cannot unmarshal number 1e400 into Go struct field JSONSchemaProps.spec.versions.schema.openAPIV3Schema.maximum of type float64" },
    };

    public static TheoryData<string, string> Accepted => new()
    {
        { "Deployment", """{"spec":{"replicas":2147483647,"strategy":{"rollingUpdate":{"maxSurge":"25%","maxUnavailable":0}}}}""" },
        { "Deployment", """{"spec":{"replicas":-2147483648,"template":{"spec":{"terminationGracePeriodSeconds":9223372036854775807}}}}""" },
        { "Pod", """{"spec":{"containers":[{"name":"a","resources":{"limits":{"cpu":0.5,"memory":"1Gi"},"requests":{"cpu":1e3,"memory":" 100Mi "}}}]}}""" },
        { "ConfigMap", """{"metadata":{"creationTimestamp":"2024-02-29T23:59:59.123456+14:00"},"binaryData":{"a":"YWJj\nZGVm","b":"","c":"YQ=="}}""" },
        { "ConfigMap", """{"metadata":{"creationTimestamp":null,"deletionTimestamp":"2024-01-01T00:00:00Z"}}""" },
        { "Event", """{"eventTime":"2024-01-01T10:00:00.123456Z","series":{"lastObservedTime":"2024-01-01T10:00:00.000000+02:00"}}""" },
        { "Lease", """{"spec":{"acquireTime":"2024-01-01T10:00:00.000001Z","renewTime":null}}""" },
        { "CustomResourceDefinition", """{"spec":{"versions":[{"name":"v1","schema":{"openAPIV3Schema":{"maximum":1.5e300,"minimum":-1}}}]}}""" },
    };

    public static TheoryData<string, string?, string[]> CustomResourceMetadata => new()
    {
        // Decoded alone as ObjectMeta: Go's path starts inside it.
        { """{"labels":7}""", "json: cannot unmarshal number into Go struct field ObjectMeta.labels of type map[string]string", [] },
        { """{"name":5}""", "json: cannot unmarshal number into Go struct field ObjectMeta.name of type string", [] },
        { """{"annotations":[]}""", "json: cannot unmarshal array into Go struct field ObjectMeta.annotations of type map[string]string", [] },
        { """{"labels":{"a":true}}""", "json: cannot unmarshal bool into Go struct field ObjectMeta.labels of type string", [] },
        { """{"creationTimestamp":"x"}""", $"parsing time \"x\" as {Time}: cannot parse \"x\" as \"2006\"", [] },
        { """{"name":"a","labelz":{}}""", null, ["metadata.labelz"] },
    };

    [Theory]
    [MemberData(nameof(CustomResourceMetadata))]
    public void InspectObjectMeta_CustomResourceMetadata_DecodedAsObjectMeta(string json, string? error, string[] unknown)
    {
        var inspection = OpenApiService.InspectObjectMeta(JsonNode.Parse(json)!.AsObject());

        Assert.Equal(error, inspection.TypeError);
        Assert.Equal(unknown, inspection.Unknown);
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void Inspect_ValueGoDoesNotDecode_ReportsUpstreamsError(string kind, string json, string expected)
    {
        var inspection = Inspect(kind, json);

        Assert.Equal(expected, inspection.TypeError);
    }

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Inspect_ValueGoDecodes_ReportsNothing(string kind, string json)
    {
        var inspection = Inspect(kind, json);

        Assert.Null(inspection.TypeError);
    }

    private static FieldInspection Inspect(string kind, string json)
    {
        var apiVersion = kind switch
        {
            "Deployment" => "apps/v1",
            "CustomResourceDefinition" => "apiextensions.k8s.io/v1",
            "Lease" => "coordination.k8s.io/v1",
            _ => "v1",
        };
        return _service.Inspect(apiVersion, kind, JsonNode.Parse(json)!.AsObject());
    }
}
