using System.Text.Json.Nodes;
using Timonel.HostileTests.Targets;

namespace Timonel.HostileTests.Classes;

/// <summary>
/// The two scalars that take more than one JSON type, given a type they do not. IntOrString.UnmarshalJSON
/// (apimachinery/pkg/util/intstr) takes a string, else json.Unmarshal into an int32: {} [] true 1.5 fail with
/// "json: cannot unmarshal &lt;type&gt; into Go value of type int32". Quantity.UnmarshalJSON (api/resource/quantity.go)
/// unquotes and parses the text: anything else fails with ErrFormatWrong "quantities must match the regular
/// expression". Either way the decode fails, so upstream answers 400 BadRequest.
/// </summary>
internal sealed class FlexibleScalarClass : HostileClass
{
    private const string QuantityError = "quantities must match the regular expression";

    private static readonly (string GroupVersion, string Kind, string Field)[] _intOrStrings =
    [
        ("v1", "Service", "spec.ports[0].targetPort"),
        ("v1", "Pod", "spec.containers[0].livenessProbe.httpGet.port"),
        ("v1", "Pod", "spec.containers[0].readinessProbe.tcpSocket.port"),
        ("v1", "Pod", "spec.containers[0].lifecycle.postStart.httpGet.port"),
        ("apps/v1", "Deployment", "spec.strategy.rollingUpdate.maxSurge"),
        ("apps/v1", "Deployment", "spec.strategy.rollingUpdate.maxUnavailable"),
        ("apps/v1", "DaemonSet", "spec.updateStrategy.rollingUpdate.maxUnavailable"),
        ("apps/v1", "StatefulSet", "spec.updateStrategy.rollingUpdate.maxUnavailable"),
        ("policy/v1", "PodDisruptionBudget", "spec.minAvailable"),
        ("policy/v1", "PodDisruptionBudget", "spec.maxUnavailable"),
        ("networking.k8s.io/v1", "NetworkPolicy", "spec.ingress[0].ports[0].port"),
    ];

    private static readonly (string GroupVersion, string Kind, string Field)[] _quantities =
    [
        ("v1", "Pod", "spec.containers[0].resources.limits.cpu"),
        ("v1", "Pod", "spec.containers[0].resources.requests.memory"),
        ("v1", "ResourceQuota", "spec.hard.pods"),
        ("v1", "PersistentVolumeClaim", "spec.resources.requests.storage"),
        ("v1", "LimitRange", "spec.limits[0].max.cpu"),
    ];

    public override string Name => "int-or-string-and-quantity";

    public override IEnumerable<HostileCase> Cases(SuiteTarget target, Random random)
    {
        JsonNode[] notIntOrString = [new JsonObject(), new JsonArray(), JsonValue.Create(true), JsonValue.Create(1.5)];
        foreach (var (kind, field) in Served(target, _intOrStrings))
        {
            foreach (var value in notIntOrString)
            {
                var word = Upstream.GoJsonWord(value.GetValueKind()) + (value.GetValueKind() == System.Text.Json.JsonValueKind.Number ? " 1.5" : "");
                yield return Case(kind, field, target, value, Expectation.BadRequest(Upstream.DecodeFailure(kind, $"json: cannot unmarshal {word} into Go value of type int32")));
            }
        }

        JsonNode[] notQuantity = [new JsonObject(), new JsonArray(), JsonValue.Create(true), JsonValue.Create("abc"), JsonValue.Create("1.5.5"), JsonValue.Create(""), JsonValue.Create("1Qi")];
        foreach (var (kind, field) in Served(target, _quantities))
        {
            foreach (var value in notQuantity)
            {
                yield return Case(kind, field, target, value, Expectation.BadRequest(Upstream.DecodeFailure(kind, QuantityError)));
            }
        }
    }

    private static IEnumerable<(ServedKind Kind, FieldPath Field)> Served(SuiteTarget target, (string GroupVersion, string Kind, string Field)[] fields) =>
        fields.Select(f => (Kind: target.Creatable.FirstOrDefault(k => k.GroupVersion == f.GroupVersion && k.Kind == f.Kind), Field: FieldPath.Parse(f.Field)))
            .Where(f => f.Kind is not null)
            .Select(f => (f.Kind!, f.Field));

    private static HostileCase Case(ServedKind kind, FieldPath field, SuiteTarget target, JsonNode value, Expectation expected) =>
        HostileCase.Json($"{kind.Kind} {field.Dotted} = {value.ToJsonString()}", "POST", kind.CollectionPath, field.SetIn(target.BaseBody(kind), value).ToJsonString(), expected);
}
