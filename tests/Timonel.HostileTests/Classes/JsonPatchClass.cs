using System.Text;
using System.Text.Json.Nodes;
using Timonel.HostileTests.Targets;

namespace Timonel.HostileTests.Classes;

/// <summary>
/// JSON patches (RFC 6902) on existing objects that must not apply. Upstream (handlers/patch.go): a body that is not a
/// list of operations fails jsonpatch.DecodePatch, 400 BadRequest; more than 10,000 operations is 413 "The allowed
/// maximum operations in a JSON patch is 10000, got N"; an operation that cannot apply (unknown op, missing path, failed
/// test) or a result that no longer decodes as the kind (a rewritten kind or apiVersion, a wrong type) is 422 Invalid;
/// a result naming another object is 400 (checkName); a changed uid is 422 (ValidateObjectMetaUpdate: field is
/// immutable); a changed resourceVersion is 409 Conflict (the store's optimistic lock).
/// </summary>
internal sealed class JsonPatchClass : HostileClass
{
    private const string ContentType = "application/json-patch+json";
    private const int MissingPathsPerObject = 40;
    private const int FieldsPerObject = 20;

    private static readonly string[] _opsOnMissing = ["remove", "replace", "test", "move", "copy"];

    public override string Name => "json-patch";

    public override IEnumerable<HostileCase> Cases(SuiteTarget target, Random random)
    {
        foreach (var existing in target.Existing)
        {
            foreach (var (name, body, expected) in Structural(existing))
            {
                yield return Patch(existing, name, body, expected);
            }

            for (var i = 0; i < MissingPathsPerObject; i++)
            {
                var op = _opsOnMissing[random.Next(_opsOnMissing.Length)];
                var missing = $"/{Segment(random)}/{Segment(random)}";
                var operation = op is "move" or "copy"
                    ? $"{{\"op\":\"{op}\",\"from\":\"{missing}\",\"path\":\"/metadata/labels/x\"}}"
                    : $"{{\"op\":\"{op}\",\"path\":\"{missing}\",\"value\":\"v\"}}";
                yield return Patch(existing, $"{op} at missing {missing}", "[" + operation + "]", Expectation.Invalid());
            }

            // Wrong JSON types at the object's own fields (top level and under metadata, which exist to add into).
            var fields = target.Catalog.Fields(existing.Kind, 2).Where(f => f.Steps.Count == 1 || f.Steps[0].Property == "metadata").ToList();
            foreach (var field in Pick(fields, FieldsPerObject, random))
            {
                foreach (var (value, word) in WrongValues.For(field.Type))
                {
                    var pointer = "/" + string.Join('/', field.Steps);
                    var (text, also) = WrongValues.DecodeError(field, value, word);
                    yield return Patch(existing, $"add {pointer} = {word}", $"[{{\"op\":\"add\",\"path\":\"{pointer}\",\"value\":{value.ToJsonString()}}}]",
                        Expectation.Invalid(text) with { AlsoMessage = also });
                }
            }
        }
    }

    private static IEnumerable<(string Name, string Body, Expectation Expected)> Structural(ExistingObject existing)
    {
        yield return ("an object, not a list", """{"op":"add","path":"/metadata/labels","value":{}}""", Expectation.BadRequest());
        yield return ("a string", "\"x\"", Expectation.BadRequest());
        yield return ("a number", "5", Expectation.BadRequest());
        yield return ("truncated", """[{"op":"add","path":"/metad""", Expectation.BadRequest());
        yield return ("a list of strings", """["add"]""", Expectation.BadRequest());
        yield return ("unknown op", """[{"op":"explode","path":"/metadata/labels"}]""", Expectation.Invalid("Unexpected kind: explode"));
        yield return ("no op", """[{"path":"/metadata/labels","value":{}}]""", Expectation.Invalid());
        yield return ("op is a number", """[{"op":5,"path":"/metadata/labels","value":{}}]""", Expectation.Invalid());
        yield return ("no path", """[{"op":"remove"}]""", Expectation.Invalid());
        yield return ("path without a slash", """[{"op":"replace","path":"metadata","value":{}}]""", Expectation.Invalid());
        yield return ("bad escape", """[{"op":"remove","path":"/metadata/~2"}]""", Expectation.Invalid());
        yield return ("index past the end", """[{"op":"add","path":"/metadata/finalizers/5","value":"x"}]""", Expectation.Invalid());
        yield return ("failed test", """[{"op":"test","path":"/metadata/name","value":"other"}]""", Expectation.Invalid());
        yield return ("replace the whole object with a number", """[{"op":"replace","path":"","value":5}]""", Expectation.Invalid());
        yield return ("rewrite kind", """[{"op":"replace","path":"/kind","value":"Namespace"}]""", Expectation.Invalid());
        yield return ("rewrite kind to an unknown one", """[{"op":"replace","path":"/kind","value":"Gizmo"}]""", Expectation.Invalid());
        yield return ("rewrite apiVersion", """[{"op":"replace","path":"/apiVersion","value":"v2"}]""", Expectation.Invalid());
        yield return ("rewrite apiVersion to another group", """[{"op":"replace","path":"/apiVersion","value":"apps/v1"}]""", Expectation.Invalid());
        yield return ("rewrite uid", """[{"op":"replace","path":"/metadata/uid","value":"00000000-0000-0000-0000-000000000000"}]""", Expectation.Invalid("metadata.uid"));
        yield return ("rewrite resourceVersion", """[{"op":"replace","path":"/metadata/resourceVersion","value":"1"}]""", Expectation.Conflict(Upstream.OptimisticLock));
        yield return ("rewrite name", """[{"op":"replace","path":"/metadata/name","value":"other"}]""",
            Expectation.BadRequest($"the name of the object (other) does not match the name on the URL ({existing.Name})"));
        yield return ("remove name", """[{"op":"remove","path":"/metadata/name"}]""", Expectation.BadRequest());
        yield return ("rewrite namespace", """[{"op":"replace","path":"/metadata/namespace","value":"default"}]""",
            Expectation.BadRequest("does not match the namespace"));
        var ops = string.Join(',', Enumerable.Repeat("""{"op":"test","path":"/kind","value":"x"}""", 10_001));
        yield return ("10,001 operations", "[" + ops + "]", new Expectation(413, "RequestEntityTooLarge", "The allowed maximum operations in a JSON patch is 10000, got 10001"));
    }

    private static string Segment(Random random) => "nope" + random.Next(1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static HostileCase Patch(ExistingObject existing, string name, string body, Expectation expected) =>
        HostileCase.WithBody($"{existing.Kind.Kind} {name}", "PATCH", existing.Path, ContentType, Encoding.UTF8.GetBytes(body), expected);
}
