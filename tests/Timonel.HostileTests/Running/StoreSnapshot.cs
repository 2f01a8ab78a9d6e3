using System.Text.Json.Nodes;
using Timonel.HostileTests.Targets;

namespace Timonel.HostileTests.Running;

/// <summary>
/// Everything a hostile request could have written, as "resource name@resourceVersion" lines: the suite's namespace
/// itself, every object in it (each class has a namespace of its own, so what one class breaks does not show in the next) of every listable kind, and every cluster-scoped object named "hostile-..." (the names the
/// generated creates carry). Events are left out: the controllers may record some at any time.
/// </summary>
internal sealed class StoreSnapshot(HttpClient http, IReadOnlyList<ServedKind> kinds)
{
    private const string HostilePrefix = "hostile-";

    private readonly List<ServedKind> _listed = kinds.Where(k => k.Can("list") && k.Resource != "events").ToList();

    public async Task<SortedSet<string>> TakeAsync(string ns)
    {
        var lines = new SortedSet<string>(StringComparer.Ordinal);
        using (var self = await http.GetAsync($"/api/v1/namespaces/{ns}"))
        {
            // A namespace a faulty request deleted shows as a change, not as an error of the suite.
            lines.Add(self.IsSuccessStatusCode
                ? $"namespace {ns}@{JsonNode.Parse(await self.Content.ReadAsStringAsync())!["metadata"]!["resourceVersion"]}"
                : $"namespace {ns}: {(int)self.StatusCode}");
        }

        var lists = await Task.WhenAll(_listed.Select(k => ListAsync(k, ns)));
        foreach (var list in lists)
        {
            lines.UnionWith(list);
        }

        return lines;
    }

    /// <summary>Lines in one snapshot and not the other: what a batch created, changed or deleted.</summary>
    public static IReadOnlyList<string> Changes(SortedSet<string> before, SortedSet<string> after) =>
        before.Except(after).Select(l => "- " + l).Concat(after.Except(before).Select(l => "+ " + l)).ToList();

    /// <summary>A cluster-scoped name a generated create carries (the suite's own namespaces aside: each class watches only its own).</summary>
    private static bool IsGenerated(string name) =>
        name.StartsWith(HostilePrefix, StringComparison.Ordinal) && !name.StartsWith(SuiteTarget.NamespacePrefix, StringComparison.Ordinal);

    private async Task<IEnumerable<string>> ListAsync(ServedKind kind, string ns)
    {
        using var response = await http.GetAsync(kind.CollectionPath.Replace("{ns}", ns, StringComparison.Ordinal));
        if (!response.IsSuccessStatusCode)
        {
            return [$"{kind} could not be listed: {(int)response.StatusCode}"];
        }

        var items = JsonNode.Parse(await response.Content.ReadAsStringAsync())?["items"]?.AsArray() ?? [];
        return items.Select(i => i!["metadata"]!)
            .Where(m => kind.Namespaced || IsGenerated(m["name"]!.GetValue<string>()))
            .Select(m => $"{kind} {m["name"]}@{m["resourceVersion"]}");
    }
}
