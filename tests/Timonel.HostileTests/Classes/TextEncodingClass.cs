using System.Text;
using Timonel.HostileTests.Targets;

namespace Timonel.HostileTests.Classes;

/// <summary>
/// Bytes and characters a body should not hold. encoding/json replaces every invalid UTF-8 byte and every lone
/// surrogate escape with U+FFFD instead of failing (decode.go unquote), so a string value carrying them is accepted
/// (201, sent with dryRun=All) while a name, data key or label carrying them fails validation (422 Invalid:
/// ValidateObjectMeta, IsConfigMapKey, IsValidLabelValue). A field name made of control characters is an unknown field:
/// a warning by default, "strict decoding error: unknown field" (400) with fieldValidation=Strict. A UTF-8 byte order
/// mark is skipped by go-yaml (reader.go determine_encoding) but is an invalid character to encoding/json (400).
/// </summary>
internal sealed class TextEncodingClass : HostileClass
{
    private const string DryRun = "?dryRun=All";

    private static readonly byte[][] _invalidUtf8 =
    [
        [0xC3, 0x28], [0xFF], [0xFE], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC0, 0xAF], [0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82],
    ];

    private static readonly string[] _loneSurrogates = ["\\ud800", "\\udfff", "\\ud800\\u0041", "\\udc00\\ud800", "a\\ud83d", "\\ud83d\\ud83d"];

    private static readonly string[] _controlNames = ["\\u0001", "\\u0000", "a\\u0007b", "\\u001b[31m", "\\u007f", "\\u200b", "\\u0085"];

    public override string Name => "text-encoding";

    public override IEnumerable<HostileCase> Cases(SuiteTarget target, Random random)
    {
        var path = target.Kind("v1", "ConfigMap").CollectionPath;
        foreach (var bad in _invalidUtf8.Select(b => (Text: Convert.ToHexString(b), Bytes: b)).Concat(_loneSurrogates.Select(s => (Text: s, Bytes: Encoding.UTF8.GetBytes(s)))))
        {
            yield return Raw($"{bad.Text} in a data value", path + DryRun, ValuedConfigMap(bad.Bytes), Expectation.Created);
            yield return Raw($"{bad.Text} in the name", path + DryRun, NamedConfigMap(bad.Bytes), Expectation.Invalid("metadata.name: Invalid value"));
            yield return Raw($"{bad.Text} in a data key", path + DryRun, ConfigMapKey(bad.Bytes), Expectation.Invalid("a valid config key must consist of alphanumeric characters"));
            yield return Raw($"{bad.Text} in a label value", path + DryRun, Labelled(bad.Bytes), Expectation.Invalid("metadata.labels: Invalid value"));
        }

        foreach (var name in _controlNames)
        {
            var unknown = $"{{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{{\"name\":\"ctl\"}},\"{name}\":1}}";
            yield return HostileCase.Json($"field named {name}", "POST", path + DryRun, unknown, Expectation.Created);
            yield return HostileCase.Json($"field named {name}, strict", "POST", path + DryRun + "&fieldValidation=Strict", unknown, Expectation.BadRequest("strict decoding error: unknown field"));
            yield return HostileCase.Json($"data key {name}", "POST", path + DryRun,
                $"{{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{{\"name\":\"ctl\"}},\"data\":{{\"{name}\":\"v\"}}}}", Expectation.Invalid("a valid config key must consist of alphanumeric characters"));
        }

        byte[] bom = [0xEF, 0xBB, 0xBF];
        var yaml = Encoding.UTF8.GetBytes("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bom\ndata:\n  a: b\n");
        var json = Encoding.UTF8.GetBytes("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"bom\"},\"data\":{\"a\":\"b\"}}");
        yield return HostileCase.WithBody("BOM-prefixed YAML", "POST", path + DryRun, "application/yaml", [.. bom, .. yaml], Expectation.Created);
        yield return HostileCase.WithBody("BOM-prefixed JSON", "POST", path + DryRun, "application/json", [.. bom, .. json], Expectation.BadRequest());
        yield return HostileCase.WithBody("two BOMs before YAML", "POST", path + DryRun, "application/yaml", [.. bom, .. bom, .. yaml], Expectation.BadRequest());
    }

    private static HostileCase Raw(string name, string path, byte[] body, Expectation expected) => HostileCase.WithBody(name, "POST", path, "application/json", body, expected);

    private static byte[] ValuedConfigMap(byte[] bad) => [.. "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"v\"},\"data\":{\"a\":\"x"u8, .. bad, .. "\"}}"u8];

    private static byte[] NamedConfigMap(byte[] bad) => [.. "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"n"u8, .. bad, .. "\"}}"u8];

    private static byte[] ConfigMapKey(byte[] bad) => [.. "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"k\"},\"data\":{\"k"u8, .. bad, .. "\":\"v\"}}"u8];

    private static byte[] Labelled(byte[] bad) => [.. "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"l\",\"labels\":{\"a\":\"v"u8, .. bad, .. "\"}}}"u8];
}
