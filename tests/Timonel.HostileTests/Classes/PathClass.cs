using Timonel.HostileTests.Targets;

namespace Timonel.HostileTests.Classes;

/// <summary>
/// Odd request paths, sent byte for byte. Upstream neither cleans nor redirects paths (the handler chain dispatches
/// req.URL.Path, which Go has percent-decoded, so %2e%2e is ".."): a dot segment where the object's name goes reaches
/// the store's key function, which refuses it with 400 'Name parameter invalid: "..": may not be \'..\''
/// (registry/generic/registry/store.go over path.IsValidPathSegmentName); a dot segment anywhere else makes a path no
/// route serves, 404 NotFound (or an object in namespace ".." that does not exist, 404 too), so nothing outside the
/// path's own object is ever read or deleted. %2F decodes to a slash: "a%2Fb" names object "a" and subresource "b",
/// 404. A '%' not followed by two hex digits fails Go's url.ParseRequestURI: net/http answers "400 Bad Request" itself.
/// </summary>
internal sealed class PathClass : HostileClass
{
    private static readonly string[] _dots = [".", "%2e", "%2E", "..", "%2e%2e", ".%2e", "%2E.", "%2e%2E"];

    public override string Name => "paths";

    public override IEnumerable<HostileCase> Cases(SuiteTarget target, Random random)
    {
        var bases = target.Existing.Where(e => e.Kind.Kind is "ConfigMap" or "Secret").Select(e => e.Path)
            .Append(target.Kind("v1", "Namespace").CollectionPath + "/{ns}");
        foreach (var path in bases)
        {
            foreach (var testCase in DotSegments(path))
            {
                yield return testCase;
            }
        }

        var existing = target.ExistingOf("ConfigMap").Path;
        var collection = target.Kind("v1", "ConfigMap").CollectionPath;
        var secrets = target.Kind("v1", "Secret").CollectionPath;
        foreach (var method in new[] { "GET", "DELETE" })
        {
            foreach (var path in new[]
            {
                "/apis/../api/v1/secrets", "/apis/%2e%2e/api/v1/secrets", "/apis/../" + secrets.TrimStart('/'), "/apis/%2E%2E/" + secrets.TrimStart('/'),
                collection + "/../secrets", collection + "/%2e%2e/secrets", collection + "/..%2Fsecrets", collection + "/a%2Fb", collection + "/%2F", existing + "%2Fstatus",
                "//" + existing.TrimStart('/'), existing.Replace("/api/", "/api//", StringComparison.Ordinal), existing.Replace("/v1/", "/v1//", StringComparison.Ordinal),
                collection + "//existing", existing + "//", existing + "/bogus", existing + "/status", existing + "/scale", existing + "/exec", existing + "/bogus/more",
                collection.Replace("configmaps", "bogus", StringComparison.Ordinal), "/api/v9/namespaces", "/apis/bogus.example.com/v1/things", "/apis/apps/v9/deployments",
            })
            {
                yield return new HostileCase($"{method} {path}", method, path, Expectation.NotFound());
            }

            foreach (var name in new[] { "a%", "a%zz", "%", "%%", "a%2", "%g0", "%2" })
            {
                yield return new HostileCase($"{method} name {name}", method, collection + "/" + name, Expectation.GoPlain(400));
            }
        }
    }

    /// <summary>Every dot form replacing, then inserted before, every segment of an object's path, with GET and DELETE.</summary>
    private static IEnumerable<HostileCase> DotSegments(string objectPath)
    {
        var segments = objectPath.TrimStart('/').Split('/');
        var nameIndex = segments.Length - 1;
        foreach (var dot in _dots)
        {
            var decoded = dot.Replace("%2e", ".", StringComparison.OrdinalIgnoreCase);
            for (var i = 0; i <= segments.Length; i++)
            {
                var inserted = "/" + string.Join('/', segments[..i].Append(dot).Concat(segments[i..]));
                foreach (var method in new[] { "GET", "DELETE" })
                {
                    yield return new HostileCase($"{method} {inserted}", method, inserted, Expectation.NotFound());
                }

                if (i == segments.Length)
                {
                    continue;
                }

                var replaced = "/" + string.Join('/', segments.Select((s, j) => j == i ? dot : s));
                var expected = i == nameIndex ? Expectation.BadRequest(Upstream.NameParameterInvalid(decoded)) : Expectation.NotFound();
                foreach (var method in new[] { "GET", "DELETE" })
                {
                    yield return new HostileCase($"{method} {replaced}", method, replaced, expected);
                }

                if (i == nameIndex)
                {
                    yield return HostileCase.WithBody($"PATCH {replaced}", "PATCH", replaced, "application/merge-patch+json", "{}"u8.ToArray(), expected);
                }
            }
        }
    }
}
