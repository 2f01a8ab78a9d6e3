using System.Text.Json.Nodes;
using k8s;

namespace Timonel.Controllers.GarbageCollector;

/// <summary>
/// What the garbage collector learns from discovery (/api, /apis): every resource of every version for mapping kinds,
/// and the resources it monitors: the preferred version of each group, verbs list, watch and delete, events left out
/// (GetDeletableResources in garbagecollector.go; the ignored resources are kube-controller-manager's defaults,
/// pkg/controller/garbagecollector/config/v1alpha1/defaults.go).
/// </summary>
internal static class Discovery
{
    private static readonly HashSet<(string Group, string Resource)> _ignored = [("", "events"), ("events.k8s.io", "events")];

    public static async Task<(IReadOnlyList<ApiResource> All, IReadOnlyList<ApiResource> Deletable)> DiscoverAsync(Kubernetes client, CancellationToken cancellationToken)
    {
        var all = new List<ApiResource>();
        var deletable = new List<ApiResource>();
        var groupVersions = new List<(string GroupVersion, bool Preferred)> { ("v1", true) };
        var groups = await GetAsync(client, "/apis", cancellationToken).ConfigureAwait(false);
        foreach (var group in groups?["groups"]?.AsArray() ?? [])
        {
            var preferred = group?["preferredVersion"]?["groupVersion"]?.GetValue<string>();
            foreach (var version in group?["versions"]?.AsArray() ?? [])
            {
                if (version?["groupVersion"]?.GetValue<string>() is { } groupVersion)
                {
                    groupVersions.Add((groupVersion, groupVersion == preferred));
                }
            }
        }

        foreach (var (groupVersion, preferred) in groupVersions)
        {
            var path = (groupVersion.Contains('/', StringComparison.Ordinal) ? "/apis/" : "/api/") + groupVersion;
            var list = await GetAsync(client, path, cancellationToken).ConfigureAwait(false);
            var group = groupVersion.Contains('/', StringComparison.Ordinal) ? groupVersion[..groupVersion.IndexOf('/', StringComparison.Ordinal)] : "";
            foreach (var entry in list?["resources"]?.AsArray() ?? [])
            {
                var name = entry?["name"]?.GetValue<string>() ?? "";
                var kind = entry?["kind"]?.GetValue<string>() ?? "";
                if (name.Length == 0 || kind.Length == 0 || name.Contains('/', StringComparison.Ordinal))
                {
                    continue;
                }

                var resource = new ApiResource(groupVersion, kind, name, entry?["namespaced"]?.GetValue<bool>() == true);
                all.Add(resource);
                var verbs = entry?["verbs"]?.AsArray().Select(v => v?.GetValue<string>()).ToHashSet() ?? [];
                if (preferred && verbs.Contains("list") && verbs.Contains("watch") && verbs.Contains("delete") && !_ignored.Contains((group, name)))
                {
                    deletable.Add(resource);
                }
            }
        }

        return (all, deletable);
    }

    private static async Task<JsonNode?> GetAsync(Kubernetes client, string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(client.BaseUri, path.TrimStart('/')));
        using var response = await client.HttpClient.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            // One group failing (an aggregated API down) must not stop the others, as upstream tolerates it.
            return null;
        }

        return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
    }
}
