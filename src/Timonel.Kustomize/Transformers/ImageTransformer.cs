using System.Text.RegularExpressions;
using Timonel.Kustomize.Model;
using Timonel.Kustomize.Yaml;

namespace Timonel.Kustomize.Transformers;

/// <summary>
/// The images field: rewrites the image of every container and init container found anywhere in an object (except
/// CRDs), as kustomize's imagetag LegacyFilter does, keeping, replacing or dropping tag and digest.
/// </summary>
public static class ImageTransformer
{
    public static void Apply(ResourceList ra, YSeq images)
    {
        foreach (var image in images.Items.OfType<YMap>())
        {
            var name = image.GetString("name") ?? "";
            // image.IsImageMatched: the name is used as a regular expression, followed by an optional tag and digest.
            var pattern = new Regex("^" + name + "(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$", RegexOptions.CultureInvariant);
            foreach (var r in ra.Items.Where(r => r.Kind != "CustomResourceDefinition"))
            {
                Walk(r.Node, node => Update(node, pattern, image));
            }
        }
    }

    private static void Walk(YNode node, Action<YMap> onContainer)
    {
        switch (node)
        {
            case YMap m:
                foreach (var (key, value) in m.Entries.ToList())
                {
                    Walk(value, onContainer);
                    if (key is "containers" or "initContainers" && value is YSeq seq)
                    {
                        foreach (var c in seq.Items.OfType<YMap>())
                        {
                            onContainer(c);
                        }
                    }
                }
                break;
            case YSeq s:
                foreach (var item in s.Items)
                {
                    Walk(item, onContainer);
                }
                break;
        }
    }

    private static void Update(YMap container, Regex pattern, YMap image)
    {
        if (container["image"] is not YScalar current || !pattern.IsMatch(current.Value))
        {
            return;
        }
        var (name, tag, digest) = Split(current.Value);
        var newName = image.GetString("newName") ?? "";
        var newTag = image.GetString("newTag") ?? "";
        var newDigest = image.GetString("digest") ?? "";
        var tagSuffix = image.GetString("tagSuffix") ?? "";
        if (newName.Length > 0)
        {
            name = newName;
        }
        if (newTag.Length > 0 && newDigest.Length > 0)
        {
            tag = newTag;
            digest = newDigest;
        }
        else if (newTag.Length > 0)
        {
            tag = newTag;
            digest = "";
        }
        else if (newDigest.Length > 0)
        {
            tag = "";
            digest = newDigest;
        }
        else if (tagSuffix.Length > 0)
        {
            tag += tagSuffix;
            digest = "";
        }
        var result = name + (tag.Length > 0 ? ":" + tag : "") + (digest.Length > 0 ? "@" + digest : "");
        container["image"] = new YScalar(result);
    }

    /// <summary>image.Split: name, tag and digest of an image reference; a registry port is not a tag.</summary>
    public static (string Name, string Tag, string Digest) Split(string image)
    {
        var slash = image.IndexOf('/');
        var offset = slash > 0 ? slash : 0;
        var search = image[offset..];
        var at = search.IndexOf('@');
        var colon = search.IndexOf(':');
        if (colon < 0 && at < 0)
        {
            return (image, "", "");
        }
        if (at >= 0 && (at < colon || colon < 0))
        {
            return (image[..(at + offset)], "", image[(at + offset + 1)..]);
        }
        if (at >= 0 && colon >= 0)
        {
            return (image[..(colon + offset)], image[(colon + offset + 1)..(at + offset)], image[(at + offset + 1)..]);
        }
        return (image[..(colon + offset)], image[(colon + offset + 1)..], "");
    }
}
