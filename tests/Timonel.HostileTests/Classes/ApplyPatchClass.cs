using System.Text;
using Timonel.HostileTests.Targets;

namespace Timonel.HostileTests.Classes;

/// <summary>
/// Server-side apply configurations that must not apply to an existing object. Upstream (handlers/patch.go
/// applyPatcher): YAML that does not parse is 400 "error decoding YAML"; another version is 400 "Incorrect version
/// specified in apply patch"; managedFields in the configuration is 400 "metadata.managedFields must be nil"; another
/// name is 400 (checkName); a missing fieldManager or force on a non-apply patch is 422 (ValidatePatchOptions). A value
/// of the wrong type fails structured-merge-diff's typed conversion ("failed to create typed patch object"), which
/// upstream returns unwrapped, as a 500: the suite expects 400 BadRequest there, as issue 13 forbids 5xx.
/// </summary>
internal sealed class ApplyPatchClass : HostileClass
{
    private const string ContentType = "application/apply-patch+yaml";

    /// <summary>sigs.k8s.io/yaml's wrapping of a go-yaml parse error, which upstream prefixes with "error decoding YAML: ".</summary>
    private const string YamlError = "error converting YAML to JSON: yaml: ";

    private static readonly (string Name, string Yaml, Expectation Expected)[] _configurations =
    [
        ("unclosed flow map", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: existing\n", Expectation.BadRequest(YamlError)),
        ("unclosed flow list", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: existing\ndata: [\n", Expectation.BadRequest(YamlError)),
        ("tab indentation", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: existing\n", Expectation.BadRequest(YamlError)),
        ("mapping values in a scalar", "apiVersion: v1\nkind: ConfigMap: x\n", Expectation.BadRequest(YamlError)),
        ("unknown alias", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: *nope\n", Expectation.BadRequest(YamlError)),
        ("a list, not an object", "- apiVersion: v1\n- kind: ConfigMap\n", Expectation.BadRequest("error decoding YAML")),
        ("another version", "apiVersion: v2\nkind: ConfigMap\nmetadata:\n  name: existing\n", Expectation.BadRequest("Incorrect version specified in apply patch. Specified patch version: v2, expected: v1")),
        ("managedFields", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: existing\n  managedFields: [{manager: me}]\n", Expectation.BadRequest("metadata.managedFields must be nil")),
        ("another name", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n", Expectation.BadRequest("the name of the object (other) does not match the name on the URL (existing)")),
        ("data value is a list", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: existing\ndata:\n  a: [1]\n", new(400)),
        ("data is a list", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: existing\ndata: [a]\n", new(400)),
        ("metadata is a string", "apiVersion: v1\nkind: ConfigMap\nmetadata: existing\n", new(400)),
        ("labels is a number", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: existing\n  labels: 5\n", new(400)),
        ("immutable is a string", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: existing\nimmutable: maybe\n", new(400)),
    ];

    public override string Name => "apply-patch";

    public override IEnumerable<HostileCase> Cases(SuiteTarget target, Random random)
    {
        var existing = target.ExistingOf("ConfigMap");
        foreach (var (name, yaml, expected) in _configurations)
        {
            yield return HostileCase.WithBody(name, "PATCH", existing.Path + "?fieldManager=hostile", ContentType, Encoding.UTF8.GetBytes(yaml), expected);
            yield return HostileCase.WithBody(name + ", forced", "PATCH", existing.Path + "?fieldManager=hostile&force=true", ContentType, Encoding.UTF8.GetBytes(yaml), expected);
        }

        var valid = Encoding.UTF8.GetBytes("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: existing\ndata:\n  a: changed\n");
        yield return HostileCase.WithBody("no fieldManager", "PATCH", existing.Path, ContentType, valid,
            Expectation.Invalid("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch"));
        yield return HostileCase.WithBody("force on a merge patch", "PATCH", existing.Path + "?force=true", "application/merge-patch+json", "{\"data\":{\"a\":\"changed\"}}"u8.ToArray(),
            Expectation.Invalid("force: Forbidden: may not be specified for non-apply patch"));
        yield return HostileCase.WithBody("fieldManager of 200 characters", "PATCH", existing.Path + "?fieldManager=" + new string('m', 200), ContentType, valid,
            Expectation.Invalid("fieldManager: Too long"));
    }
}
