using Timonel.HostileTests.Targets;

namespace Timonel.HostileTests.Classes;

/// <summary>
/// Creates of every served kind with one field, anywhere in the kind's catalog, given a JSON value of a type it cannot
/// hold. Upstream decodes the body into the typed Go struct before anything else (handlers/create.go); encoding/json's
/// UnmarshalTypeError makes transformDecodeError answer 400 BadRequest "&lt;Kind&gt; in version "v1" cannot be handled
/// as a &lt;Kind&gt;: json: cannot unmarshal &lt;type&gt; into Go ...". Types with an UnmarshalJSON of their own
/// answer with its error instead: time.Parse's "parsing time ..." for a string in a metav1.Time, ErrFormatWrong for
/// a Quantity (see <see cref="WrongValues.DecodeError"/>).
/// </summary>
internal sealed class TypeConfusionClass : HostileClass
{
    /// <summary>Fields tried per kind; with the four wrong types each this keeps the class near 9,000 cases.</summary>
    private const int FieldsPerKind = 45;
    private const int MaxDepth = 7;

    public override string Name => "type-confusion";

    public override IEnumerable<HostileCase> Cases(SuiteTarget target, Random random)
    {
        foreach (var kind in target.Creatable)
        {
            var body = target.BaseBody(kind);
            foreach (var field in Pick(target.Catalog.Fields(kind, MaxDepth), FieldsPerKind, random))
            {
                foreach (var (value, word) in WrongValues.For(field.Type))
                {
                    var (text, also) = WrongValues.DecodeError(field, value, word);
                    yield return HostileCase.Json(
                        $"{kind.Kind} {field.Dotted} ({field.Type}) = {word}",
                        "POST",
                        kind.CollectionPath,
                        field.SetIn(body, value).ToJsonString(),
                        Expectation.BadRequest(Upstream.DecodeFailure(kind, text)) with { AlsoMessage = also });
                }
            }
        }
    }
}
