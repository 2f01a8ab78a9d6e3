using System.Text.Json.Nodes;
using Timonel.HostileTests.Targets;

namespace Timonel.HostileTests.Classes;

/// <summary>
/// The two scalars that take more than one JSON type, given a type they do not, and given the types they do.
/// IntOrString.UnmarshalJSON (apimachinery/pkg/util/intstr) takes a string, else json.Unmarshal into an int32: {} []
/// true 1.5 fail with an UnmarshalTypeError, to which the outer decoder adds the struct field (decode.go
/// addErrorContext): "json: cannot unmarshal object into Go struct field ServicePort.spec.ports.targetPort of type
/// int32". Quantity.UnmarshalJSON (api/resource/quantity.go) unquotes and parses the text: anything that is not a
/// quantity fails with ErrFormatWrong "quantities must match the regular expression". Either way the decode fails, so
/// upstream answers 400 BadRequest. A string in an IntOrString and a JSON number in a Quantity (parsed as the
/// quantity its text spells) decode and the create succeeds: those are sent with dryRun=All.
/// </summary>
internal sealed class FlexibleScalarClass : HostileClass
{
    private const string DryRun = "?dryRun=All";

    // The string each field takes for the accepted case: a port name where a port goes, a percentage where a count of
    // pods goes (validation refuses anything else there).
    private static readonly (string GroupVersion, string Kind, string Field, string Accepted)[] _intOrStrings =
    [
        ("v1", "Service", "spec.ports[0].targetPort", "http"),
        ("v1", "Pod", "spec.containers[0].livenessProbe.httpGet.port", "http"),
        ("v1", "Pod", "spec.containers[0].readinessProbe.tcpSocket.port", "http"),
        ("v1", "Pod", "spec.containers[0].lifecycle.postStart.httpGet.port", "http"),
        ("apps/v1", "Deployment", "spec.strategy.rollingUpdate.maxSurge", "25%"),
        ("apps/v1", "Deployment", "spec.strategy.rollingUpdate.maxUnavailable", "25%"),
        ("apps/v1", "DaemonSet", "spec.updateStrategy.rollingUpdate.maxUnavailable", "25%"),
        ("apps/v1", "StatefulSet", "spec.updateStrategy.rollingUpdate.maxUnavailable", "25%"),
        ("policy/v1", "PodDisruptionBudget", "spec.minAvailable", "25%"),
        ("policy/v1", "PodDisruptionBudget", "spec.maxUnavailable", "25%"),
        ("networking.k8s.io/v1", "NetworkPolicy", "spec.ingress[0].ports[0].port", "http"),
    ];

    private static readonly (string GroupVersion, string Kind, string Field, string Accepted)[] _quantities =
    [
        ("v1", "Pod", "spec.containers[0].resources.limits.cpu", "7"),
        ("v1", "Pod", "spec.containers[0].resources.requests.memory", "7"),
        ("v1", "ResourceQuota", "spec.hard.pods", "7"),
        ("v1", "PersistentVolumeClaim", "spec.resources.requests.storage", "7"),
        ("v1", "LimitRange", "spec.limits[0].max.cpu", "7"),
    ];

    public override string Name => "int-or-string-and-quantity";

    public override IEnumerable<HostileCase> Cases(SuiteTarget target, Random random)
    {
        JsonNode[] notIntOrString = [new JsonObject(), new JsonArray(), JsonValue.Create(true), JsonValue.Create(1.5)];
        foreach (var (kind, field, accepted) in Served(target, _intOrStrings))
        {
            foreach (var value in notIntOrString)
            {
                var word = Upstream.GoJsonWord(value.GetValueKind()) + (value.GetValueKind() == System.Text.Json.JsonValueKind.Number ? " 1.5" : "");
                var expected = Expectation.BadRequest(Upstream.DecodeFailure(kind, $"json: cannot unmarshal {word} into Go")) with { AlsoMessage = " of type int32" };
                yield return Case(kind, field, target.BaseBody(kind), value, "", expected);
            }

            yield return Case(kind, field, target.BaseBody(kind), JsonValue.Create(accepted), DryRun, Expectation.Created);
        }

        JsonNode[] notQuantity = [new JsonObject(), new JsonArray(), JsonValue.Create(true), JsonValue.Create("abc"), JsonValue.Create("1.5.5"), JsonValue.Create(""), JsonValue.Create("1Qi")];
        foreach (var (kind, field, accepted) in Served(target, _quantities))
        {
            foreach (var value in notQuantity)
            {
                yield return Case(kind, field, target.BaseBody(kind), value, "", Expectation.BadRequest(Upstream.DecodeFailure(kind, Upstream.QuantityFormat)));
            }

            // A bare claim fails validation once its quantity decodes (ValidatePersistentVolumeClaimSpec: "at least 1
            // access mode is required"), which would hide whether the number was taken.
            var body = target.BaseBody(kind);
            if (kind.Kind == "PersistentVolumeClaim")
            {
                if (body["spec"] is not JsonObject spec)
                {
                    spec = [];
                    body["spec"] = spec;
                }

                spec["accessModes"] ??= new JsonArray("ReadWriteOnce");
            }

            yield return Case(kind, field, body, JsonNode.Parse(accepted)!, DryRun, Expectation.Created);
        }
    }

    private static IEnumerable<(ServedKind Kind, FieldPath Field, string Accepted)> Served(SuiteTarget target, (string GroupVersion, string Kind, string Field, string Accepted)[] fields) =>
        fields.Select(f => (Kind: target.Creatable.FirstOrDefault(k => k.GroupVersion == f.GroupVersion && k.Kind == f.Kind), Field: FieldPath.Parse(f.Field), f.Accepted))
            .Where(f => f.Kind is not null)
            .Select(f => (f.Kind!, f.Field, f.Accepted));

    private static HostileCase Case(ServedKind kind, FieldPath field, JsonObject body, JsonNode value, string query, Expectation expected) =>
        HostileCase.Json($"{kind.Kind} {field.Dotted} = {value.ToJsonString()}", "POST", kind.CollectionPath + query, field.SetIn(body, value).ToJsonString(), expected);
}
