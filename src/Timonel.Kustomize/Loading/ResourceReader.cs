using Timonel.Kustomize.Model;
using Timonel.Kustomize.Yaml;

namespace Timonel.Kustomize.Loading;

/// <summary>Turns a multi-document YAML file into resources; a kind: List is expanded into its items.</summary>
public static class ResourceReader
{
    public static List<Resource> Read(string text)
    {
        List<YNode> docs;
        try
        {
            docs = YamlReader.ReadAll(text);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new KustomizeException(e.Message);
        }
        var result = new List<Resource>();
        foreach (var doc in docs)
        {
            if (doc is not YMap map)
            {
                throw new KustomizeException("missing Resource metadata");
            }
            if (map.GetString("kind") is { } kind && kind.EndsWith("List", StringComparison.Ordinal) && map["items"] is YSeq items)
            {
                result.AddRange(items.Items.OfType<YMap>().Select(i => new Resource(i)));
                continue;
            }
            result.Add(new Resource(map));
        }
        return result;
    }
}
