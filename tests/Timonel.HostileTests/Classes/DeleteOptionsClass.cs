using System.Text;
using Timonel.HostileTests.Targets;

namespace Timonel.HostileTests.Classes;

/// <summary>
/// Deletes of existing objects (and of collections) with options that do not decode or do not validate; none may
/// delete anything. Upstream (handlers/delete.go): query options that do not parse are 400 BadRequest
/// (ParameterCodec.DecodeParameters); options that parse but are invalid are 422 'DeleteOptions.meta.k8s.io "" is
/// invalid' and failed preconditions 409 Conflict "the UID in the precondition (...) does not match the UID in record"
/// (both checked by rest.BeforeDelete, which the store runs before it deletes). A wrongful delete takes the object
/// away from the class's later cases, which then answer 404: the first failure is the one to read. A body that does not decode reaches
/// scope.err as a raw decoder error, which upstream answers with a 500: the suite expects 400 BadRequest there, as
/// issue 13 forbids 5xx.
/// </summary>
internal sealed class DeleteOptionsClass : HostileClass
{
    private static readonly (string Name, string Body)[] _undecodable =
    [
        ("dryRun a string", """{"dryRun":"All"}"""),
        ("dryRun a number", """{"dryRun":1}"""),
        ("body a list", "[]"),
        ("body a string", "\"x\""),
        ("body x", "x"),
        ("body truncated", """{"gracePeriodSeconds":"""),
        ("gracePeriodSeconds a string", """{"gracePeriodSeconds":"30"}"""),
        ("gracePeriodSeconds 1.5", """{"gracePeriodSeconds":1.5}"""),
        ("gracePeriodSeconds past int64", """{"gracePeriodSeconds":9223372036854775808}"""),
        ("preconditions.uid a number", """{"preconditions":{"uid":5}}"""),
        ("preconditions a list", """{"preconditions":[]}"""),
        ("propagationPolicy a number", """{"propagationPolicy":5}"""),
        ("orphanDependents a string", """{"orphanDependents":"yes"}"""),
        ("a Pod, not DeleteOptions", """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"}}"""),
    ];

    private static readonly (string Name, string Body, string Message)[] _invalid =
    [
        ("dryRun [Bogus]", """{"dryRun":["Bogus"]}""", "dryRun: Unsupported value"),
        ("dryRun [All, Bogus]", """{"dryRun":["All","Bogus"]}""", "dryRun: Unsupported value"),
        ("dryRun [\"\"]", """{"dryRun":[""]}""", "dryRun: Unsupported value"),
        ("propagationPolicy Bogus", """{"propagationPolicy":"Bogus"}""", "propagationPolicy: Unsupported value"),
        // meta/v1/validation ValidateDeleteOptions: field.Invalid at propagationPolicy, whose text prints the value.
        ("orphanDependents with propagationPolicy", """{"orphanDependents":true,"propagationPolicy":"Foreground"}""",
            "propagationPolicy: Invalid value: \"Foreground\": orphanDependents and deletionPropagation cannot be both set"),
    ];

    private static readonly (string Query, string? Message)[] _badQueries =
    [
        ("gracePeriodSeconds=abc", null), ("gracePeriodSeconds=1.5", null), ("gracePeriodSeconds=99999999999999999999", null),
    ];

    private static readonly (string Query, string Message)[] _invalidQueries =
    [
        ("dryRun=Bogus", "dryRun: Unsupported value"), ("dryRun=All&dryRun=Bogus", "dryRun: Unsupported value"),
        ("propagationPolicy=Bogus", "propagationPolicy: Unsupported value"), ("propagationPolicy=foreground", "propagationPolicy: Unsupported value"),
        ("orphanDependents=true&propagationPolicy=Background",
            "propagationPolicy: Invalid value: \"Background\": orphanDependents and deletionPropagation cannot be both set"),
    ];

    public override string Name => "delete-options";

    public override IEnumerable<HostileCase> Cases(SuiteTarget target, Random random)
    {
        foreach (var existing in target.Existing)
        {
            foreach (var (name, body) in _undecodable)
            {
                yield return Delete(existing.Kind.Kind + " body " + name, existing.Path, body, Expectation.BadRequest());
            }

            foreach (var (name, body, message) in _invalid)
            {
                yield return Delete(existing.Kind.Kind + " body " + name, existing.Path, body, Expectation.Invalid("DeleteOptions.meta.k8s.io \"\" is invalid: " + message));
            }

            yield return Delete(existing.Kind.Kind + " wrong uid precondition", existing.Path, """{"preconditions":{"uid":"00000000-0000-0000-0000-000000000000"}}""",
                Expectation.Conflict("the UID in the precondition (00000000-0000-0000-0000-000000000000) does not match the UID in record"));
            yield return Delete(existing.Kind.Kind + " stale resourceVersion precondition", existing.Path, """{"preconditions":{"resourceVersion":"1"}}""",
                Expectation.Conflict("the ResourceVersion in the precondition (1) does not match the ResourceVersion in record"));
            foreach (var (query, message) in _badQueries)
            {
                yield return new HostileCase($"{existing.Kind.Kind} ?{query}", "DELETE", existing.Path + "?" + query, Expectation.BadRequest(message));
            }

            foreach (var (query, message) in _invalidQueries)
            {
                yield return new HostileCase($"{existing.Kind.Kind} ?{query}", "DELETE", existing.Path + "?" + query, Expectation.Invalid(message));
            }
        }

        // Collections take DeleteOptions from the body only (delete.go DeleteCollection decodes the query as ListOptions),
        // so only bodies are tried on them: a query option upstream ignores would make a real collection delete.
        var configMaps = target.Kind("v1", "ConfigMap").CollectionPath;
        foreach (var (name, body) in _undecodable)
        {
            yield return Delete("ConfigMap collection body " + name, configMaps, body, Expectation.BadRequest());
        }
    }

    private static HostileCase Delete(string name, string path, string body, Expectation expected) =>
        HostileCase.WithBody(name, "DELETE", path, "application/json", Encoding.UTF8.GetBytes(body), expected);
}
