using System.Text;
using Timonel.HostileTests.Targets;

namespace Timonel.HostileTests.Classes;

/// <summary>
/// Headers: sizes around Go's limit, Accept values no serializer produces, Content-Types no serializer reads. kube-apiserver's
/// http.Server has MaxHeaderBytes 1 MiB (server/secure_serving.go): past it (plus net/http's 4096 bytes of slack) Go
/// answers "431 Request Header Fields Too Large" itself, below it the request is served. An Accept nothing matches is
/// 406 NotAcceptable "only the following media types are accepted" (negotiation.NewNotAcceptableError); a
/// Content-Type nothing decodes, wildcards and garbage included, is 415 UnsupportedMediaType (NegotiateInputSerializer).
/// Creates here carry dryRun=All, so one the server wrongly accepts changes nothing.
/// </summary>
internal sealed class HeaderClass : HostileClass
{
    private const int KiB = 1024;

    private static readonly string[] _unservableAccepts =
    [
        "application/x-bogus", "text/html", "image/png", "application/json;as=Table;v=v9;g=meta.k8s.io", "application/json;as=Gizmo;v=v1;g=meta.k8s.io",
        "application/yaml;as=PartialObjectMetadata;v=v1;g=bogus.io", "text/plain",
    ];

    private static readonly string[] _unreadableContentTypes =
    [
        "*/*", "application/*", "text/plain", "garbage", "@@@", "application/json-patch+json", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "application/json/extra", ";",
    ];

    public override string Name => "headers";

    public override IEnumerable<HostileCase> Cases(SuiteTarget target, Random random)
    {
        var existing = target.ExistingOf("ConfigMap").Path;
        foreach (var size in new[] { 8 * KiB, 64 * KiB, 512 * KiB, 900 * KiB })
        {
            yield return new HostileCase($"one {size / KiB} KiB header", "GET", existing, Expectation.Ok) { Headers = [new("X-Hostile", new string('h', size))] };
        }

        foreach (var size in new[] { 1024 * KiB + (8 * KiB) })
        {
            yield return new HostileCase($"one {size / KiB} KiB header", "GET", existing, Expectation.GoPlain(431)) { Headers = [new("X-Hostile", new string('h', size))] };
        }

        yield return new HostileCase("20,000 headers, 1.2 MiB", "GET", existing, Expectation.GoPlain(431))
        {
            Headers = Enumerable.Range(0, 20_000).Select(i => new KeyValuePair<string, string>($"X-H{i}", new string('v', 50))).ToList(),
        };

        foreach (var accept in _unservableAccepts)
        {
            yield return new HostileCase($"Accept {accept}", "GET", existing, new Expectation(406, "NotAcceptable", Upstream.NotAcceptable)) { Headers = [new("Accept", accept)] };
        }

        var body = Encoding.UTF8.GetBytes("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"ctype"},"data":{"a":"b"}}""");
        var create = target.Kind("v1", "ConfigMap").CollectionPath + "?dryRun=All";
        foreach (var contentType in _unreadableContentTypes)
        {
            yield return HostileCase.WithBody($"Content-Type {contentType}", "POST", create, contentType, body, new Expectation(415, "UnsupportedMediaType"));
        }
    }
}
