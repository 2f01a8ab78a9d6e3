using System.Text;
using Timonel.HostileTests.Targets;

namespace Timonel.HostileTests.Classes;

/// <summary>
/// Deeply nested arrays and objects. encoding/json's scanner refuses more than 10,000 levels ("exceeded max depth",
/// scanner.go maxNestingDepth): 400 BadRequest. Nesting below that decodes: into a string field it is a type error
/// (400 "json: cannot unmarshal array"), in an unknown field it is skipped and the create succeeds with a warning
/// (fieldValidation defaults to Warn; sent with dryRun=All). YAML bodies go through sigs.k8s.io/yaml first, whose
/// depth errors are BadRequest too.
/// Departure: the server bounds its recursion and refuses any JSON body nested deeper than 512 levels, before it
/// decodes anything, with 400 BadRequest "The maximum configured depth of 512 has been exceeded" (README, request
/// bodies); the suite expects that answer past 512 levels, where upstream still decodes (docs/hostile-input.md).
/// </summary>
internal sealed class DeepNestingClass : HostileClass
{
    /// <summary>The server's answer past <see cref="ServerMaxDepth"/> (System.Text.Json's reader error, which it quotes).</summary>
    private const string TooDeep = "maximum configured depth of 512";

    private const string Prefix = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"deep\"}";

    /// <summary>The server's documented nesting limit for request bodies; upstream's is encoding/json's 10,000.</summary>
    private const int ServerMaxDepth = 512;

    private static readonly int[] _depths = [2, 100, 513, 1_000, 10_001, 100_000];

    public override string Name => "deep-nesting";

    public override IEnumerable<HostileCase> Cases(SuiteTarget target, Random random)
    {
        var configMaps = target.Kind("v1", "ConfigMap");
        var create = configMaps.CollectionPath + "?dryRun=All";
        var typeError = Upstream.DecodeFailure(configMaps, "json: cannot unmarshal array");
        foreach (var depth in _depths)
        {
            var arrays = new string('[', depth) + new string(']', depth);
            var objects = string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
            var pastLimit = depth > ServerMaxDepth;
            var tooDeep = Expectation.BadRequest(TooDeep);
            yield return Json($"data value {depth} nested arrays", create, Prefix + $",\"data\":{{\"a\":{arrays}}}}}", pastLimit ? tooDeep : Expectation.BadRequest(typeError));
            yield return Json($"annotation value {depth} nested arrays", create, $"{{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{{\"name\":\"deep\",\"annotations\":{{\"a\":{arrays}}}}}}}",
                pastLimit ? tooDeep : Expectation.BadRequest(typeError));
            yield return Json($"unknown field {depth} nested objects", create, Prefix + $",\"x\":{objects}}}", pastLimit ? tooDeep : Expectation.Created);
            yield return Json($"unknown field {depth} nested arrays", create, Prefix + $",\"x\":{arrays}}}", pastLimit ? tooDeep : Expectation.Created);
            yield return Json($"whole body {depth} nested arrays", create, arrays, Expectation.BadRequest());
            yield return HostileCase.WithBody($"YAML data value {depth} nested flow lists", "POST", create, "application/yaml",
                Encoding.UTF8.GetBytes("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n  a: " + arrays + "\n"), Expectation.BadRequest());
        }

        var existing = target.ExistingOf("ConfigMap");
        foreach (var depth in _depths.Where(d => d <= 10_000))
        {
            // The merged object fails to decode (patch.go applyPatchToCurrentObject): 422 Invalid on field "patch". Past
            // the server's limit the patch body itself is refused first, 400 (the departure above).
            yield return HostileCase.WithBody($"merge patch data value {depth} nested arrays", "PATCH", existing.Path, "application/merge-patch+json",
                Encoding.UTF8.GetBytes("{\"data\":{\"a\":" + new string('[', depth) + new string(']', depth) + "}}"),
                depth > ServerMaxDepth ? Expectation.BadRequest(TooDeep) : Expectation.Invalid("json: cannot unmarshal array"));
        }
    }

    private static HostileCase Json(string name, string path, string body, Expectation expected) => HostileCase.Json(name, "POST", path, body, expected);
}
