using System.Text.Json.Nodes;

namespace Timonel.HostileTests.Targets;

/// <summary>Reads the server's discovery documents (/api/v1, /apis and each group version) into the top-level resources it serves.</summary>
internal static class Discovery
{
    public static async Task<IReadOnlyList<ServedKind>> ReadAsync(HttpClient http)
    {
        var groupVersions = new List<string> { "v1" };
        var groups = JsonNode.Parse(await http.GetStringAsync("/apis"))!["groups"]!.AsArray();
        groupVersions.AddRange(groups.SelectMany(g => g!["versions"]!.AsArray()).Select(v => v!["groupVersion"]!.GetValue<string>()));
        var kinds = new List<ServedKind>();
        foreach (var groupVersion in groupVersions)
        {
            var path = (groupVersion == "v1" ? "/api/" : "/apis/") + groupVersion;
            var list = JsonNode.Parse(await http.GetStringAsync(path))!["resources"]!.AsArray();
            kinds.AddRange(list.Select(r => r!.AsObject())
                .Where(r => !r["name"]!.GetValue<string>().Contains('/', StringComparison.Ordinal))
                .Select(r => new ServedKind(
                    groupVersion,
                    r["name"]!.GetValue<string>(),
                    r["kind"]!.GetValue<string>(),
                    r["namespaced"]!.GetValue<bool>(),
                    (r["verbs"]?.AsArray().Select(v => v!.GetValue<string>()) ?? []).ToHashSet(StringComparer.Ordinal))));
        }

        return kinds;
    }
}
