using System.Text.Json.Nodes;

namespace Timonel.IntegrationTests;

/// <summary>What a refused write must leave as it was: the objects of a namespace's lists.</summary>
public static class NamespaceSnapshot
{
    /// <summary>Every object of the lists ("/api/v1/namespaces/{ns}/configmaps") as name@resourceVersion, so any create, update or delete shows.</summary>
    public static async Task<string> TakeAsync(HttpClient http, string ns, IEnumerable<string> lists)
    {
        var lines = new List<string>();
        foreach (var path in lists)
        {
            var list = JsonNode.Parse(await http.GetStringAsync(path.Replace("{ns}", ns, StringComparison.Ordinal)))!;
            lines.AddRange(list["items"]!.AsArray().Select(i => $"{path}: {i!["metadata"]!["name"]}@{i["metadata"]!["resourceVersion"]}"));
        }

        return string.Join('\n', lines);
    }
}
