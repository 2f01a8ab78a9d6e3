using System.Text;
using Timonel.HostileTests.Targets;

namespace Timonel.HostileTests.Classes;

/// <summary>
/// Bodies cut short at random points: creates of every served kind (many cuts of the examples, a few of the bare
/// bodies of the other kinds), and updates of every existing object. No
/// proper prefix of a JSON object is JSON, so upstream's decoder fails (encoding/json "unexpected end of JSON input")
/// and the create/update handler answers 400 BadRequest (handlers/rest.go transformDecodeError).
/// </summary>
internal sealed class TruncationClass : HostileClass
{
    private const int CutsPerExample = 25;
    private const int CutsPerBareBody = 4;

    public override string Name => "truncation";

    public override IEnumerable<HostileCase> Cases(SuiteTarget target, Random random)
    {
        var examples = target.WithExamples.ToHashSet();
        var bodies = target.Creatable.Select(k => (Label: "create " + k.Kind, Method: "POST", Path: k.CollectionPath, Json: target.BaseBody(k).ToJsonString(), Cuts: examples.Contains(k) ? CutsPerExample : CutsPerBareBody))
            .Concat(target.Existing.Select(e => (Label: "update " + e.Kind.Kind, Method: "PUT", Path: e.Path, Json: e.Body.ToJsonString(), Cuts: CutsPerExample)));
        foreach (var (label, method, path, json, count) in bodies)
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            var cuts = new SortedSet<int> { 1, bytes.Length - 1 };
            while (cuts.Count < Math.Min(count, bytes.Length - 1))
            {
                cuts.Add(random.Next(1, bytes.Length));
            }

            foreach (var cut in cuts)
            {
                yield return HostileCase.WithBody($"{label} cut at {cut}/{bytes.Length}", method, path, "application/json", bytes[..cut], Expectation.BadRequest());
            }
        }
    }
}
