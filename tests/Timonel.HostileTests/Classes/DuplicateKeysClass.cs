using Timonel.HostileTests.Targets;

namespace Timonel.HostileTests.Classes;

/// <summary>
/// Objects naming a key twice. encoding/json keeps the last value; upstream's strict pass (sigs.k8s.io/json) reports
/// each duplicate, which the default fieldValidation=Warn turns into a Warning header (201, sent with dryRun=All) and
/// fieldValidation=Strict into 400 BadRequest "strict decoding error: ... duplicate field" (handlers/create.go).
/// </summary>
internal sealed class DuplicateKeysClass : HostileClass
{
    private static readonly (string Name, string Json)[] _bodies =
    [
        ("apiVersion twice", """{"apiVersion":"v1","apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup"}}"""),
        ("kind twice, last ConfigMap", """{"apiVersion":"v1","kind":"Secret","kind":"ConfigMap","metadata":{"name":"dup"}}"""),
        ("metadata twice", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"gone"},"metadata":{"name":"dup"}}"""),
        ("name twice", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","name":"dup"}}"""),
        ("data key twice", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup"},"data":{"a":"1","a":"2"}}"""),
        ("data twice", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup"},"data":{"a":"1"},"data":{"b":"2"}}"""),
        ("label twice", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup","labels":{"a":"1","a":"2"}}}"""),
        ("labels twice", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup","labels":{"a":"1"},"labels":{"b":"2"}}}"""),
        ("namespace twice", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup","namespace":"x","namespace":""}}"""),
        ("immutable twice", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup"},"immutable":true,"immutable":false}"""),
        ("a key 100 times", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup"},"data":{""" + string.Join(',', Enumerable.Range(0, 100).Select(i => $"\"a\":\"{i}\"")) + "}}"),
    ];

    public override string Name => "duplicate-keys";

    public override IEnumerable<HostileCase> Cases(SuiteTarget target, Random random)
    {
        var path = target.Kind("v1", "ConfigMap").CollectionPath;
        foreach (var (name, json) in _bodies)
        {
            yield return HostileCase.Json(name, "POST", path + "?dryRun=All", json, Expectation.Created);
            yield return HostileCase.Json(name + ", strict", "POST", path + "?dryRun=All&fieldValidation=Strict", json, Expectation.BadRequest("strict decoding error"));
        }
    }
}
