using System.Text;
using Timonel.HostileTests.Targets;

namespace Timonel.HostileTests.Classes;

/// <summary>
/// Lists with query options that do not parse or do not go together. Upstream (handlers/get.go ListResource):
/// selectors and integers that do not parse fail ParameterCodec.DecodeParameters, 400 BadRequest; an unsupported field
/// label is 400 (ConvertFieldLabel); resourceVersionMatch without resourceVersion, with continue, "Exact" with "0" or an
/// unknown value are 422 'ListOptions.meta.k8s.io "" is invalid' (ValidateListOptions); a continue token that does not
/// decode, or that is combined with a resourceVersion, is 400 "invalid continue token" / "specifying resource version
/// is not allowed when using continue" (storage.ValidateListOptions). A resourceVersion that is not a number reaches
/// the storage as an InvalidError upstream does not map to a 4xx: the suite expects 400 there, as issue 13 forbids 5xx.
/// </summary>
internal sealed class ListOptionsClass : HostileClass
{
    private static readonly string[] _badLabelSelectors =
    [
        "!!!", "a=b,", ",", "=b", "a in (", "a b", "a==b==c", "a=" + new string('x', 64), "a/b/c=1", "-a=1", "a=b)", "(a=b)", "a,,b", "a notin", "a in (b,", "a=b c",
        new string('k', 64) + "=1", "!", "a in (b))", "a=%", "x=\u00e9", "a\u0000=b",
    ];

    private static readonly string[] _badFieldSelectors = ["a", "=x", "metadata.name", "spec.bogus=x", "metadata.name=a,b", "metadata.name!==x", "metadata.uid=x", "x=="];

    private static readonly string[] _badIntegers = ["abc", "1.5", "1e3", "99999999999999999999", "0x10", " 5", "5 ", "+"];

    private static readonly (string Query, string Message)[] _invalidCombinations =
    [
        ("resourceVersionMatch=Exact", "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided"),
        ("resourceVersionMatch=NotOlderThan", "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided"),
        ("resourceVersion=1&resourceVersionMatch=Bogus", "resourceVersionMatch: Unsupported value: \"Bogus\""),
        ("resourceVersion=1&resourceVersionMatch=exact", "resourceVersionMatch: Unsupported value: \"exact\""),
        ("resourceVersion=0&resourceVersionMatch=Exact", "resourceVersionMatch: Forbidden: resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""),
        ("resourceVersion=0&resourceVersionMatch=NotOlderThan&continue=abc", "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is provided"),
        ("sendInitialEvents=true", "sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list"),
    ];

    public override string Name => "list-options";

    public override IEnumerable<HostileCase> Cases(SuiteTarget target, Random random)
    {
        var lists = target.Existing.Select(e => e.Kind.CollectionPath).Append(target.Kind("v1", "Namespace").CollectionPath).Distinct().ToList();
        foreach (var list in lists)
        {
            foreach (var selector in _badLabelSelectors)
            {
                yield return Get($"labelSelector={selector}", list, "labelSelector=" + Uri.EscapeDataString(selector), Expectation.BadRequest());
            }

            foreach (var selector in _badFieldSelectors)
            {
                yield return Get($"fieldSelector={selector}", list, "fieldSelector=" + Uri.EscapeDataString(selector), Expectation.BadRequest());
            }

            foreach (var parameter in new[] { "limit", "timeoutSeconds" })
            {
                foreach (var value in _badIntegers)
                {
                    yield return Get($"{parameter}={value}", list, parameter + "=" + Uri.EscapeDataString(value), Expectation.BadRequest());
                }
            }

            foreach (var (query, message) in _invalidCombinations)
            {
                yield return Get(query, list, query, Expectation.Invalid("ListOptions.meta.k8s.io \"\" is invalid: " + message));
            }

            foreach (var version in new[] { "abc", "-1", "1.5", "99999999999999999999999", "1e3", "0x1" })
            {
                yield return Get($"resourceVersion={version}", list, "resourceVersion=" + Uri.EscapeDataString(version), Expectation.BadRequest());
            }

            foreach (var (name, token) in ContinueTokens(target.ContinueToken, random))
            {
                yield return Get($"continue {name}", list, "limit=1&continue=" + Uri.EscapeDataString(token), Expectation.BadRequest("invalid continue token"));
            }

            yield return Get("real continue token with a resourceVersion", list, "limit=1&resourceVersion=5&continue=" + Uri.EscapeDataString(target.ContinueToken),
                Expectation.BadRequest("specifying resource version is not allowed when using continue"));
        }
    }

    /// <summary>Tokens no server issued: garbage, truncations of a real one, upstream's format aimed outside the list.</summary>
    private static IEnumerable<(string Name, string Token)> ContinueTokens(string real, Random random)
    {
        static string Encode(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
        yield return ("garbage", "abc");
        yield return ("not base64", "!!!!");
        yield return ("base64 of nothing JSON", Encode("not json"));
        yield return ("base64 of {}", Encode("{}"));
        yield return ("upstream format, path traversal", Encode("""{"v":"meta.k8s.io/v1","rv":1,"start":"../../secrets/"}"""));
        yield return ("upstream format, absolute key", Encode("""{"v":"meta.k8s.io/v1","rv":1,"start":"/registry/secrets/"}"""));
        yield return ("upstream format, no start", Encode("""{"v":"meta.k8s.io/v1","rv":1}"""));
        yield return ("upstream format, other version", Encode("""{"v":"meta.k8s.io/v9","rv":1,"start":"a"}"""));
        yield return ("upstream format, rv 0", Encode("""{"v":"meta.k8s.io/v1","rv":0,"start":"a"}"""));
        for (var i = 0; i < 4 && real.Length > 2; i++)
        {
            var cut = random.Next(1, real.Length - 1);
            yield return ($"real token cut at {cut}", real[..cut] + (i % 2 == 0 ? "" : "x"));
        }
    }

    private static HostileCase Get(string name, string list, string query, Expectation expected) => new($"{list.Split('/')[^1]} ?{name}", "GET", list + "?" + query, expected);
}
