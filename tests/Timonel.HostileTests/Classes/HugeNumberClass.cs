using System.Text.Json.Nodes;
using Timonel.HostileTests.Targets;

namespace Timonel.HostileTests.Classes;

/// <summary>
/// Numbers an integer field cannot hold: past int32/int64, exponents, fractions, past float64. encoding/json parses an
/// integer field's literal with strconv.ParseInt and answers UnmarshalTypeError "number &lt;literal&gt;" on failure or
/// overflow (decode.go literalStore), so upstream answers 400 "json: cannot unmarshal number 2147483648 into ...".
/// -0 parses as 0 and is accepted (sent with dryRun=All).
/// </summary>
internal sealed class HugeNumberClass : HostileClass
{
    private const int FieldsPerKind = 3;

    private static readonly string[] _notInt32 = ["2147483648", "-2147483649", "4294967297", "9223372036854775808", "1e3", "1e400", "1.5", "-0.0"];
    private static readonly string[] _notInt64 = ["9223372036854775808", "-9223372036854775809", "18446744073709551616", "1e3", "1e400", "1.5"];

    public override string Name => "huge-numbers";

    public override IEnumerable<HostileCase> Cases(SuiteTarget target, Random random)
    {
        foreach (var kind in target.Creatable)
        {
            var body = target.BaseBody(kind);
            var integers = target.Catalog.Fields(kind, 6).Where(f => f.Type is "int32" or "int64").ToList();
            foreach (var field in Pick(integers, FieldsPerKind, random))
            {
                foreach (var literal in field.Type == "int32" ? _notInt32 : _notInt64)
                {
                    yield return Case(kind, field, body, literal, "", Expectation.BadRequest(Upstream.DecodeFailure(kind, "json: cannot unmarshal number " + literal)));
                }
            }
        }

        // Accepted by upstream: -0 is an integer literal. dryRun keeps the store as it was.
        foreach (var kind in target.WithExamples.Where(k => target.BaseBody(k)["spec"]?["replicas"] is not null))
        {
            yield return Case(kind, FieldPath.Parse("spec.replicas"), DryRunBody(target, kind), "-0", "?dryRun=All", Expectation.Created);
        }

        var configMaps = target.Kind("v1", "ConfigMap");
        yield return Case(configMaps, FieldPath.Parse("metadata.generation"), DryRunBody(target, configMaps), "-0", "?dryRun=All", Expectation.Created);
    }

    /// <summary>A body named apart from the rejected creates, which a faulty server may have stored under the base name.</summary>
    private static JsonObject DryRunBody(SuiteTarget target, ServedKind kind)
    {
        var body = target.BaseBody(kind);
        body["metadata"]!["name"] = "dry-run";
        return body;
    }

    private static HostileCase Case(ServedKind kind, FieldPath field, JsonObject body, string literal, string query, Expectation expected)
    {
        // The literal goes in as text: System.Text.Json would normalise or refuse it as a number.
        const string Marker = "\"__number__\"";
        var json = field.SetIn(body, JsonValue.Create("__number__")).ToJsonString().Replace(Marker, literal, StringComparison.Ordinal);
        return HostileCase.Json($"{kind.Kind} {field.Dotted} ({field.Type}) = {literal}", "POST", kind.CollectionPath + query, json, expected);
    }
}
