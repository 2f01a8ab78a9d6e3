using System.Text;
using System.Text.Json.Nodes;
using Timonel.HostileTests.Targets;

namespace Timonel.HostileTests.Classes;

/// <summary>
/// JSON merge patches (RFC 7386) and strategic merge patches on existing objects that must not apply. Upstream
/// (handlers/patch.go): a body that is not JSON is 400 BadRequest; a merged object that no longer decodes (a wrong
/// JSON type anywhere) is 422 Invalid on field "patch"; a merged object naming another object is 400 (checkName); a
/// changed uid is 422 (field is immutable) and a stale resourceVersion 409 Conflict. Strategic merge patches stay off
/// list items: a list item without its merge key is an error upstream answers with a 500.
/// </summary>
internal sealed class MergePatchClass : HostileClass
{
    private const string Merge = "application/merge-patch+json";
    private const string Strategic = "application/strategic-merge-patch+json";
    private const int FieldsPerObject = 30;

    public override string Name => "merge-patch";

    public override IEnumerable<HostileCase> Cases(SuiteTarget target, Random random)
    {
        foreach (var existing in target.Existing)
        {
            foreach (var contentType in new[] { Merge, Strategic })
            {
                foreach (var (name, body, expected) in Structural(existing))
                {
                    yield return Patch(existing, contentType, name, body, expected);
                }

                var fields = target.Catalog.Fields(existing.Kind, 5).Where(f => contentType == Merge || f.Steps.All(s => !s.IsItem)).ToList();
                foreach (var field in Pick(fields, FieldsPerObject, random))
                {
                    foreach (var (value, word) in WrongValues.For(field.Type))
                    {
                        yield return Patch(existing, contentType, $"{field.Dotted} = {word}", field.SetIn([], value).ToJsonString(), Expectation.Invalid());
                    }
                }
            }
        }
    }

    private static IEnumerable<(string Name, string Body, Expectation Expected)> Structural(ExistingObject existing)
    {
        yield return ("truncated", """{"metadata":{"labels":""", Expectation.BadRequest());
        yield return ("not JSON", "metadata: {}", Expectation.BadRequest());
        yield return ("rename", """{"metadata":{"name":"other"}}""", Expectation.BadRequest($"the name of the object (other) does not match the name on the URL ({existing.Name})"));
        yield return ("move namespace", """{"metadata":{"namespace":"default"}}""", Expectation.BadRequest("does not match the namespace"));
        yield return ("rewrite uid", """{"metadata":{"uid":"00000000-0000-0000-0000-000000000000"}}""", Expectation.Invalid("metadata.uid"));
        yield return ("stale resourceVersion", """{"metadata":{"resourceVersion":"1"}}""", Expectation.Conflict(Upstream.OptimisticLock));
        yield return ("rewrite kind", """{"kind":"Namespace"}""", Expectation.Invalid());
        yield return ("rewrite apiVersion", """{"apiVersion":"v2"}""", Expectation.Invalid());
    }

    private static HostileCase Patch(ExistingObject existing, string contentType, string name, string body, Expectation expected) =>
        HostileCase.WithBody($"{existing.Kind.Kind} {(contentType == Merge ? "merge" : "strategic")} {name}", "PATCH", existing.Path, contentType, Encoding.UTF8.GetBytes(body), expected);
}
