using System.Text.Json.Nodes;
using Timonel.HostileTests.Targets;

namespace Timonel.HostileTests.Classes;

/// <summary>
/// Text that is not standard padded base64 where Go holds []byte (Secret data, ConfigMap binaryData, a CSR's request).
/// encoding/json decodes such a string with base64.StdEncoding and keeps its CorruptInputError, "illegal base64 data at
/// input byte N" (decode.go literalStore): a create or an update answers 400 BadRequest through transformDecodeError,
/// a patch 422 Invalid (handlers/patch.go: the patched object fails to decode, field "patch").
/// </summary>
internal sealed class Base64Class : HostileClass
{
    private const string Illegal = "illegal base64 data at input byte";

    private static readonly string[] _notBase64 = ["!!!!", "abc", "YQ", "a===", "====", "-_-_", "YW Jj", "YWJj\u0000", "Zm9v!", "\u00e9\u00e9\u00e9\u00e9", "YWJj\tZGVm", "%41%41"];

    private static readonly (string GroupVersion, string Kind, string Field)[] _byteFields =
    [
        ("v1", "Secret", "data.k"),
        ("v1", "ConfigMap", "binaryData.k"),
        ("certificates.k8s.io/v1", "CertificateSigningRequest", "spec.request"),
    ];

    public override string Name => "base64";

    public override IEnumerable<HostileCase> Cases(SuiteTarget target, Random random)
    {
        foreach (var (groupVersion, kindName, dotted) in _byteFields)
        {
            var kind = target.Creatable.FirstOrDefault(k => k.GroupVersion == groupVersion && k.Kind == kindName);
            if (kind is null)
            {
                continue;
            }

            var field = FieldPath.Parse(dotted);
            foreach (var text in _notBase64)
            {
                yield return HostileCase.Json($"create {kindName} {dotted} = {text}", "POST", kind.CollectionPath,
                    field.SetIn(target.BaseBody(kind), JsonValue.Create(text)).ToJsonString(), Expectation.BadRequest(Upstream.DecodeFailure(kind, Illegal)));
            }
        }

        var secret = target.ExistingOf("Secret");
        var data = FieldPath.Parse("data.a");
        foreach (var text in _notBase64)
        {
            yield return HostileCase.Json($"update Secret data.a = {text}", "PUT", secret.Path,
                data.SetIn(secret.Body, JsonValue.Create(text)).ToJsonString(), Expectation.BadRequest(Upstream.DecodeFailure(secret.Kind, Illegal)));
            yield return HostileCase.WithBody($"merge patch Secret data.a = {text}", "PATCH", secret.Path, "application/merge-patch+json",
                System.Text.Encoding.UTF8.GetBytes(data.SetIn([], JsonValue.Create(text)).ToJsonString()), Expectation.Invalid(Illegal));
            yield return HostileCase.WithBody($"strategic merge patch Secret data.a = {text}", "PATCH", secret.Path, "application/strategic-merge-patch+json",
                System.Text.Encoding.UTF8.GetBytes(data.SetIn([], JsonValue.Create(text)).ToJsonString()), Expectation.Invalid(Illegal));
        }
    }
}
